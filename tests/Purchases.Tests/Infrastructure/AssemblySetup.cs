using Purchases.Tests.Infrastructure;

// One database and one in-process service for the run; tests reset the data, so they run one at a time (xunit.runner.json).
[assembly: AssemblyFixture(typeof(ApiFactory))]

namespace Purchases.Tests.Infrastructure
{
    static class TestEnvironment
    {
        /// <summary>
        /// Every in-process service instance records every read: instrumentation listeners are process-wide, so one
        /// instance's read sampling would drop another's spans. TraceSamplingTests checks the sampling in a process of its own.
        /// </summary>
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void RecordEveryRead() => Environment.SetEnvironmentVariable("Tracing__ReadSampleRatio", "1");
    }
}
