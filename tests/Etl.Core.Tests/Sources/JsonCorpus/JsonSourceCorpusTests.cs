// The JSON source against nst/JSONTestSuite: each corpus text as a file (the document) and under "data" (read at
// recordPath) must give the records System.Text.Json reads from it, or fail the run naming the file (and where), or
// dead-letter the item that does not read; never a record that System.Text.Json does not read.
using Etl.Core.Tests.TestSupport;
using Etl.Sources;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Sources.JsonCorpus;

public sealed class JsonSourceCorpusTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> Files => JsonTestSuite.Files;

    [Theory]
    [MemberData(nameof(Files))]
    public async Task JsonSource_CorpusText_GivesWhatSystemTextJsonReadsOrFailsNamingTheFile(string name)
    {
        var text = JsonTestSuite.Bytes(name);
        var document = _folder.WriteBytes(name, text);
        var underData = _folder.WriteBytes("data-" + name, [.. "{\"data\": "u8, .. text, .. "}"u8]);

        var (output, error) = await ReadAsync(document, null);
        AssertRead(name, text, document, "", output, error);

        (output, error) = await ReadAsync(underData, "data");
        AssertRead(name, text, underData, "data", output, error);
    }

    private static async Task<(CollectingOutput? Output, InvalidDataException? Error)> ReadAsync(string file, string? recordPath)
    {
        var output = new CollectingOutput();
        try
        {
            await new JsonSource(new JsonSourceSpec { Path = file, RecordPath = recordPath }, JsonTestSuite.Run).ReadAsync(output, CancellationToken.None);
            return (output, null);
        }
        catch (InvalidDataException e)
        {
            return (null, e);
        }
    }

    private static void AssertRead(string name, byte[] text, string file, string path, CollectingOutput? output, InvalidDataException? error)
    {
        // A byte order mark before the document is skipped, as documented; anywhere else it is no JSON.
        var valid = JsonTestSuite.TryRead(path == "" ? JsonTestSuite.WithoutByteOrderMark(text) : text, out var value);
        Assert.Equal(JsonTestSuite.VerdictOf(name) switch { Verdict.Accept => true, Verdict.Reject => false, _ => valid }, valid);
        if (!valid)
        {
            AssertRefused(file, output, error);
            return;
        }
        if (value is not (Record or List<object?>))
        {
            // A scalar (or null) is no record and no array of them: the run fails saying so, as documented.
            Assert.Matches(path == "" ? "expected a JSON array of objects" : $"no array or object at recordPath '{path}'", error?.Message);
            return;
        }
        Assert.Null(error);
        Assert.Equal(Records(value, file, path), output!.Records.Select(RecordText.Of));
        Assert.Equal(NotObjects(value, file, path), output.Rejections.Select(r => $"{r.Origin} {r.Reason}"));
    }

    /// <summary>Invalid JSON fails the run naming the file and the line and column; text that is JSON but does not
    /// decode (a lone surrogate escape, bytes that are not UTF-8) may instead dead-letter the item holding it.</summary>
    private static void AssertRefused(string file, CollectingOutput? output, InvalidDataException? error)
    {
        if (error is not null)
        {
            Assert.StartsWith(file, error.Message, StringComparison.Ordinal);
            Assert.Matches(@"(:\d+:\d+: invalid JSON|: invalid JSON: |: expected a JSON array|: no array or object at recordPath)", error.Message);
            return;
        }
        Assert.NotEmpty(output!.Rejections);
        Assert.All(output.Rejections, r => Assert.Matches("^(invalid JSON: |not UTF-8 text)", r.Reason));
    }

    private static List<string> Records(object? value, string file, string path)
    {
        if (value is Record single)
        {
            single.Origin = file;
            return [RecordText.Of(single)];
        }
        var items = (List<object?>)value!;
        var records = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is Record record)
            {
                record.SetOrigin(file, i, $":{path}[", "]");
                records.Add(RecordText.Of(record));
            }
        }
        return records;
    }

    private static List<string> NotObjects(object? value, string file, string path) => value is List<object?> items
        ? [.. items.Select((item, i) => (item, i)).Where(x => x.item is not Record).Select(x => $"{file}:{path}[{x.i}] expected a JSON object in the array")]
        : [];
}
