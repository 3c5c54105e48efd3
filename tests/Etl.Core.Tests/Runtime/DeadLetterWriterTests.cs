// DeadLetterWriter: one JSON line per failed record or request, secrets masked, no file until something fails.
using System.Text.Json;
using Etl.Core.Tests.TestSupport;
using Etl.Runtime;
using Record = Etl.Records.Record;

namespace Etl.Core.Tests.Runtime;

public sealed class DeadLetterWriterTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private DeadLetterWriter Writer(params string[] secrets) =>
        TestRun.DeadLetterWriter(_folder.PathOf("errors"), "run-1", TestRun.Secrets(secrets));

    private static async Task<List<string>> LinesAsync(DeadLetterWriter writer)
    {
        await writer.DisposeAsync();
        return [.. await File.ReadAllLinesAsync(writer.FilePath)];
    }

    [Fact]
    public void FilePath_IsTheRunIdInTheFolder()
    {
        var writer = Writer();

        Assert.Equal(Path.Combine(_folder.PathOf("errors"), "run-1.jsonl"), writer.FilePath);
    }

    [Fact]
    public async Task DisposeAsync_NothingWritten_CreatesNoFile()
    {
        var writer = Writer();

        await writer.DisposeAsync();

        Assert.False(File.Exists(writer.FilePath));
    }

    [Fact]
    public async Task Write_SourceRejection_WritesOneLineWithOnlyTheFieldsGiven()
    {
        var writer = Writer();

        writer.Write(new DeadLetter { Stage = "source", Reason = "malformed CSV record", Origin = "in.csv:3", Raw = "9,x,y" });

        Assert.Equal(["""{"stage":"source","reason":"malformed CSV record","origin":"in.csv:3","raw":"9,x,y"}"""], await LinesAsync(writer));
    }

    [Fact]
    public async Task Write_FailedRequest_WritesUrlStatusAttemptsElapsedAndBody()
    {
        var writer = Writer();

        writer.Write(new DeadLetter
        {
            Stage = "request",
            Reason = "503 Service Unavailable",
            Url = "https://api.example.com/orders/17",
            Status = 503,
            Attempts = 5,
            ElapsedMs = 1234.56,
            Body = "busy",
        });

        Assert.Equal(
            ["""{"stage":"request","reason":"503 Service Unavailable","url":"https://api.example.com/orders/17","status":503,"attempts":5,"elapsedMs":1234.6,"body":"busy"}"""],
            await LinesAsync(writer));
    }

    [Fact]
    public async Task Write_RecordAndColumn_WritesTheRecordAsAJsonObject()
    {
        var writer = Writer();
        var record = new Record(["id", "amount"], [7L, "12,5O"]);

        writer.Write(new DeadLetter { Stage = "schema", Reason = "not a decimal", Column = "amount", Value = "12,5O", Record = record });

        Assert.Equal(
            ["""{"stage":"schema","reason":"not a decimal","column":"amount","value":"12,5O","record":{"id":7,"amount":"12,5O"}}"""],
            await LinesAsync(writer));
    }

    [Fact]
    public async Task Write_SeveralLetters_WritesOneLineEach()
    {
        var writer = Writer();

        writer.Write(new DeadLetter { Stage = "source", Reason = "first" });
        writer.Write(new DeadLetter { Stage = "source", Reason = "second" });

        Assert.Equal(["first", "second"], (await LinesAsync(writer)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public void Count_CountsEveryLetter()
    {
        var writer = Writer();

        writer.Write(new DeadLetter { Stage = "source", Reason = "first" });
        writer.Write(new DeadLetter { Stage = "source", Reason = "second" });

        Assert.Equal(2L, writer.Count);
    }

    [Fact]
    public async Task Write_SecretInTextFields_MasksIt()
    {
        var writer = Writer("s3cret-token");

        writer.Write(new DeadLetter
        {
            Stage = "request",
            Reason = "401 for token s3cret-token",
            Url = "https://api.example.com/orders?key=s3cret-token",
            Body = "bad key s3cret-token",
        });

        Assert.Equal(
            ["""{"stage":"request","reason":"401 for token ***","url":"https://api.example.com/orders?key=***","body":"bad key ***"}"""],
            await LinesAsync(writer));
    }

    [Fact]
    public async Task Write_NonAsciiText_KeepsItReadable()
    {
        var writer = Writer();

        writer.Write(new DeadLetter { Stage = "source", Reason = "Müller <b>" });

        Assert.Equal(["""{"stage":"source","reason":"Müller <b>"}"""], await LinesAsync(writer));
    }
}
