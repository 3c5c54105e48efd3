// The json source streams its array: a file larger than the process's whole managed heap converts.
using System.Text;
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests;

// Alone, after the parallel tests: one large file, and a run whose time should not stretch the others'.
[Collection(nameof(BoundedMemoryTests))]
public sealed class JsonArrayMemoryTests : IDisposable
{
    private const long FileBytes = 56L << 20;

    // 48 MiB for everything the runtime and the run allocate (a run needs about 24): reading the file whole took about
    // 7 times its size (the bytes and every record at once) and ran out of memory under a limit of 128 MiB.
    private const string HeapLimit = "0x3000000";

    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task JsonArray_LargerThanTheManagedHeapLimit_ConvertsEveryRecord()
    {
        var records = Generate(_folder.PathOf("in/big.json"), FileBytes);
        var spec = _folder.Write("big.json", $$"""
            {
              "name": "big",
              "source": { "type": "json", "path": {{_folder.Json("in/big.json")}}, "recordPath": "data" },
              "schema": { "id": "int64 not null", "customer": "string", "amount": "decimal(18,2)", "note": "string" },
              "batch": { "size": 1000, "boundedCapacity": 256 },
              "sinks": [ { "type": "parquet", "path": {{_folder.Json("lake/big")}} } ]
            }
            """);
        var options = new ProcessOptions(_folder.Root) { Environment = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = HeapLimit } };

        var result = await EtlCli.RunProcessAsync(options, "run", spec, "--progress", "none");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(records, result.Summary.Written);
        Assert.Equal(records.ToString(System.Globalization.CultureInfo.InvariantCulture),
            DuckDb.Scalar($"SELECT max(id) FROM {DuckDb.Parquet(_folder.PathOf("lake/big"))}"));
    }

    // Unique ids and notes, so no string pool can hide a leak; a meta object before the array and a trailer after it.
    private static long Generate(string path, long bytes)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        stream.Write("""{ "meta": { "source": "crm", "version": 3 }, "data": ["""u8);
        using var json = new Utf8JsonWriter(stream);
        long id = 0;
        while (stream.Position < bytes)
        {
            stream.Write(id == 0 ? "\n"u8 : ",\n"u8);
            json.WriteStartObject();
            json.WriteNumber("id", ++id);
            json.WriteString("customer", $"customer {id % 5000}");
            json.WriteNumber("amount", id % 10000 / 100m);
            json.WriteString("note", $"note {id}, with a few more words to make the record longer");
            json.WriteStartArray("tags");
            json.WriteStringValue("a");
            json.WriteStringValue("b");
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            json.Reset();
        }
        stream.Write(Encoding.UTF8.GetBytes($$"""], "trailer": { "count": {{id}} } }"""));
        return id;
    }
}
