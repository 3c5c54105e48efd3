// A host lifetime that ignores Ctrl+C and SIGTERM: whoever started the server decides when it stops.
using Microsoft.Extensions.Hosting;

namespace Etl.SampleApi.Internal;

// The default console lifetime would stop every in-process test server on the test runner's Ctrl+C and print
// status lines; the command line handles signals itself.
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
