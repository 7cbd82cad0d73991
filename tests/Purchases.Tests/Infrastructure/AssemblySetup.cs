using Purchases.Tests.Infrastructure;

// One database and one in-process service for the run; tests reset the data, so they run one at a time (xunit.runner.json).
[assembly: AssemblyFixture(typeof(ApiFactory))]
