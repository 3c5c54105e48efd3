// A large body (kept on disk while it streams in) that is broken every time: dead-lettered with its start, no record handed on.
using Etl.Core.Tests.TestSupport;
using Etl.SampleApi;
using Etl.Sources.Http;

namespace Etl.Core.Tests.Sources.Http;

public sealed class HttpSourceLargeBodyTests
{
    [Fact]
    public async Task HttpSource_LargeBodyInvalidAtTheEndEveryTime_DeadLettersItsFirstKilobyteAndLandsNothing()
    {
        await using var server = await SampleApiServer.StartAsync(new SampleApiOptions { TransientFailureRate = 1, Faults = [FaultKind.InvalidAtEnd] });
        using var temp = new TestFolder();

        // 60,000 records make a 4.8 MB body, over what is parsed in memory.
        var run = await HttpTestRuns.RunAsync($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "/export", "query": { "count": "60000" },
              "recordPath": "data", "retry": { "maxAttempts": 2, "baseDelayMs": 1 } }
            """, temp.Root);

        var letter = Assert.Single(run.DeadLetters);
        Assert.Equal((200, 2), (letter.GetProperty("status").GetInt32(), letter.GetProperty("attempts").GetInt32()));
        Assert.Equal(ResponseBody.DeadLetterBytes, letter.GetProperty("body").GetString()!.Length);
        Assert.StartsWith("""{"data":[{"id":1,""", letter.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal((0L, 0L), (run.Result.Read, run.Result.Written));
    }
}
