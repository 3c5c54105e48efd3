// End to end: declared dates and timestamps in layouts other than ISO 8601, epoch numbers, and local times in a zone.
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Schema;

public sealed class DateFormatTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private string Spec(string type, string values)
    {
        _folder.Write("in.csv", "id,v\n" + string.Join('\n', values.Split('|').Select((v, i) => $"{i + 1},{v}")) + "\n");
        return _folder.Write("spec.json", $$"""
            {
              "name": "dates",
              "source": { "type": "csv", "path": {{_folder.Json("in.csv")}} },
              "schema": { "v": "{{type}}" },
              "errors": { "deadLetterPath": {{_folder.Json("errors")}}, "maxFailedRecords": 10 },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/d")}} } ]
            }
            """);
    }

    private List<string?[]> Values => DuckDb.Rows($"SELECT v FROM {DuckDb.Parquet(_folder.PathOf("lake/d"))} ORDER BY id");

    [Theory]
    [InlineData("date(dd.MM.yyyy)", "28.11.2026", "2026-11-28")]
    [InlineData("date(yyyy/MM/dd)", "2026/11/28", "2026-11-28")]
    [InlineData("timestamp(yyyy-MM-dd HH:mm:ss)", "2026-11-28 10:30:15", "2026-11-28 10:30:15+00")]
    [InlineData("timestamp(unix)", "1700000000", "2023-11-14 22:13:20+00")]
    [InlineData("timestamp(unix_ms)", "1700000000123", "2023-11-14 22:13:20.123+00")]
    [InlineData("timestamp(yyyy-MM-dd HH:mm, Europe/Paris)", "2026-07-01 12:00", "2026-07-01 10:00:00+00")]
    [InlineData("timestamp(yyyy-MM-dd HH:mm, Europe/Paris)", "2026-01-15 12:00", "2026-01-15 11:00:00+00")]
    public async Task DeclaredFormat_MatchingValue_LandsAsTheTypeInUtc(string type, string text, string expected)
    {
        await EtlCli.RunOkAsync("run", Spec(type, text));

        Assert.Equal([[expected]], Values);
    }

    [Fact]
    public async Task DeclaredFormat_ValueInAnotherLayout_IsADeadLetterNamingTheFormat()
    {
        var result = await EtlCli.RunOkAsync("run", Spec("date(dd.MM.yyyy)", "28.11.2026|2026-11-29"));

        Assert.Equal(1, result.Summary.Failed);
        var letter = JsonDocument.Parse(File.ReadLines(Directory.GetFiles(_folder.PathOf("errors")).Single()).Single()).RootElement;
        Assert.StartsWith("column 'v': \"2026-11-29\" is not a date(dd.MM.yyyy)", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_UnknownZone_IsRefusedNamingTheColumn()
    {
        var result = await EtlCli.RunAsync("validate", Spec("timestamp(yyyy-MM-dd HH:mm, Mars/Olympus)", "2026-01-15 12:00"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("$.schema.v", result.Stderr, StringComparison.Ordinal);
    }
}
