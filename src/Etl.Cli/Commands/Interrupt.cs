// Ctrl+C and SIGTERM cancel a run cleanly (nothing committed, exit 130); a second one stops the process at once.
using System.Runtime.InteropServices;

namespace Etl.Cli.Commands;

internal sealed class Interrupt : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    // An InvocationConfiguration built by hand has no ProcessTerminationTimeout, so System.CommandLine does not do this itself.
    public Interrupt(CancellationToken invocation)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(invocation);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _source.Token;

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = !_source.IsCancellationRequested;
        _ = _source.CancelAsync();
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _source.Dispose();
    }
}
