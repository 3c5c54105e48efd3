// Connections to the server port are counted once each, from either end of the loopback pair, listening sockets aside.
using Etl.Benchmarks.Measure;

namespace Etl.Benchmarks.Tests.Measure;

public sealed class TcpConnectionCounterTests
{
    // Port 5080 = 0x13D8; client ports 40000 = 0x9C40 and 40001 = 0x9C41; states 0A = LISTEN, 01 = ESTABLISHED, 06 = TIME_WAIT.
    private static readonly string[] Table =
    [
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 0100007F:13D8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0000000000000000 100 0 0 10 0",
        "   1: 0100007F:9C40 0100007F:13D8 01 00000000:00000000 00:00000000 00000000     0        0 2 1 0000000000000000 20 4 30 10 -1",
        "   2: 0100007F:13D8 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 3 1 0000000000000000 20 4 30 10 -1",
        "   3: 0100007F:9C41 0100007F:13D8 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000",
        "   4: 0100007F:1F90 0100007F:9C42 01 00000000:00000000 00:00000000 00000000     0        0 4 1 0000000000000000 20 4 30 10 -1",
    ];

    [Fact]
    public void ParseTable_LoopbackPairsAndTimeWait_YieldsClientPortsOfTheServerOnly()
    {
        var ports = TcpConnectionCounter.ParseTable(Table, 5080).Distinct().Order().ToList();

        Assert.Equal([40000, 40001], ports);
    }

    [Fact]
    public void ParseTable_OtherPort_YieldsNothing()
    {
        Assert.Empty(TcpConnectionCounter.ParseTable(Table, 9999));
    }
}
