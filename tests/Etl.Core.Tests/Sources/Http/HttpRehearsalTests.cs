// Tests of the rehearsal of the HTTP stack: one request to a loopback listener, through the source's pipelines and reader.
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpRehearsalTests
{
    [Fact]
    public async Task RunAsync_SendsOneRequestAndParsesThePageItGetsBack() =>
        Assert.True(await HttpRehearsal.RunAsync());

}
