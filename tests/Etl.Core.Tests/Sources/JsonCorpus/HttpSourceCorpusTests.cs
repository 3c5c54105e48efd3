// The HTTP source against nst/JSONTestSuite: a 200 whose body is a corpus text (the records array, or the value at
// recordPath "data") must give the records System.Text.Json reads from it; a body it does not read is an invalid body
// (retried, then a request dead letter), or, when only a record's text does not decode, that record's dead letter.
using Etl.Core.Tests.Sources.Http;
using Etl.Core.Tests.TestSupport;
using Etl.Sources.Http;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources.JsonCorpus;

public sealed class HttpSourceCorpusTests(CorpusServer server) : IClassFixture<CorpusServer>
{
    private const int MaxAttempts = 2;

    public static TheoryData<string> Files => JsonTestSuite.Files;

    [Theory]
    [MemberData(nameof(Files))]
    public async Task HttpSource_CorpusBody_GivesWhatSystemTextJsonReadsOrIsAnInvalidBody(string name)
    {
        var text = JsonTestSuite.Bytes(name);

        AssertRead(name, JsonTestSuite.WithoutByteOrderMark(text), null, await ReadAsync(name, wrapped: false));
        AssertRead(name, text, "data", await ReadAsync(name, wrapped: true));
    }

    private async Task<CollectingOutput> ReadAsync(string name, bool wrapped)
    {
        var recordPath = wrapped ? """, "recordPath": "data" """ : "";
        var run = HttpTestRuns.Context($$"""
            { "type": "http", "baseUrl": "{{server.BaseAddress}}", "path": "{{CorpusServer.PathOf(name, wrapped)}}"{{recordPath}},
              "concurrency": 1, "retry": { "maxAttempts": {{MaxAttempts}}, "baseDelayMs": 1 } }
            """);
        var output = new CollectingOutput();
        await new HttpSource((HttpSourceSpec)run.Spec.Spec.Source, run).ReadAsync(output, CancellationToken.None);
        return output;
    }

    private static void AssertRead(string name, byte[] text, string? recordPath, CollectingOutput output)
    {
        var valid = JsonTestSuite.TryRead(text, out var value);
        Assert.Equal(JsonTestSuite.VerdictOf(name) switch { Verdict.Accept => true, Verdict.Reject => false, _ => valid }, valid);
        if (!valid)
        {
            AssertRefused(output);
            return;
        }
        if (value is not (Record or List<object?> or null))
        {
            // A scalar is no records: valid JSON without them fails at once (retry.onMissingRecords is fail).
            var letter = Assert.Single(output.FailedRequests);
            Assert.Equal(1, letter.Attempts);
            Assert.EndsWith(recordPath is null ? "expected a JSON array or object in the body" : $"no array or object at recordPath '{recordPath}'", letter.Reason, StringComparison.Ordinal);
            return;
        }
        // null is an empty page (as "data": null ends many APIs' paging); an object is one record.
        var items = value as List<object?> ?? (value is null ? [] : [value]);
        Assert.Empty(output.FailedRequests);
        Assert.Equal(items.OfType<Record>().Select(JsonTestSuite.Text), output.Records.Select(JsonTestSuite.Text));
        Assert.Equal(items.Where(i => i is not Record).Select(_ => "expected a JSON object; got"),
            output.Rejections.Select(r => r.Reason[.."expected a JSON object; got".Length]));
    }

    /// <summary>An invalid body is retried, then one request dead letter of status 200 and every attempt; a body whose
    /// records array holds a record that does not decode (a lone surrogate escape, bytes that are not UTF-8) is a page
    /// with that record's dead letter.</summary>
    private static void AssertRefused(CollectingOutput output)
    {
        if (output.FailedRequests is [var letter])
        {
            Assert.Equal((200, MaxAttempts), (letter.Status, letter.Attempts));
            Assert.Empty(output.Records);
            return;
        }
        Assert.Empty(output.FailedRequests);
        Assert.NotEmpty(output.Rejections);
        Assert.All(output.Rejections, r => Assert.Matches("^(invalid JSON: |not UTF-8 text)", r.Reason));
    }
}
