// Log lines go straight to stderr, or are held while a live display owns the terminal and handed over in order.
using Etl.Cli.Logging;

namespace Etl.Cli.Tests.Logging;

public sealed class TerminalLogTests : IDisposable
{
    private readonly StringWriter _stderr = new();

    public void Dispose() => _stderr.Dispose();

    [Fact]
    public void TerminalLog_NotHolding_WritesAtOnce()
    {
        var log = new TerminalLog(_stderr);

        log.Write("a");

        Assert.Equal("a" + Environment.NewLine, _stderr.ToString());
    }

    [Fact]
    public void TerminalLog_Holding_HandsLinesOverInOrderAndWritesNothing()
    {
        var log = new TerminalLog(_stderr);
        log.Hold();

        log.Write("a");
        log.Write("b");

        Assert.Equal(["a", "b"], log.TakeHeld());
        Assert.Empty(log.TakeHeld());
        Assert.Equal("", _stderr.ToString());
    }

    [Fact]
    public void TerminalLog_Release_WritesWhatIsStillHeld()
    {
        var log = new TerminalLog(_stderr);
        log.Hold();
        log.Write("a");

        log.Release();
        log.Write("b");

        Assert.Equal($"a{Environment.NewLine}b{Environment.NewLine}", _stderr.ToString());
    }
}
