// The meter reports the child's exit code and output, and counts the CPU of the child's own children.
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks.Tests.Measure;

public sealed class ProcessMeterTests
{
    private const string BusyLoop = "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done";

    [Fact]
    public async Task RunAsync_ExitCodeAndOutput_AreThoseOfTheChild()
    {
        var m = await ProcessMeter.RunAsync("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], Path.GetTempPath());

        Assert.Equal(3, m.ExitCode);
        Assert.Equal("out", m.Stdout.Trim());
        Assert.Equal("err", m.Stderr.Trim());
    }

    [Fact]
    public async Task RunAsync_WorkInAGrandchild_IsCountedAsCpu()
    {
        // The shell forks a second shell that does the work: only reaped-children accounting sees it.
        var m = await ProcessMeter.RunAsync("/bin/sh", ["-c", $"/bin/sh -c '{BusyLoop}'; exit 0"], Path.GetTempPath());

        Assert.Equal(0, m.ExitCode);
        Assert.True(m.Cpu > TimeSpan.Zero, $"CPU {m.Cpu}");
        Assert.True(m.PeakRssBytes > 0, $"peak RSS {m.PeakRssBytes}");
    }

    [Theory]
    [InlineData("  1234 kB", 1234)]
    [InlineData("\t 7 kB", 7)]
    public void ParseKb_StatusField_ReadsKilobytes(string text, long expected)
    {
        Assert.Equal(expected, ProcessMeter.ParseKb(text));
    }
}
