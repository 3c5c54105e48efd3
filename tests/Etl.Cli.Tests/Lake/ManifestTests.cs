// End to end: the manifest agrees with the summary line and with DuckDB; secrets are redacted; dead letters say where.
using System.Text.Json;
using System.Text.RegularExpressions;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

public sealed partial class ManifestTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [GeneratedRegex(@"read (\d+), filtered (\d+), failed (\d+), written (\d+), files (\d+)")]
    private static partial Regex Summary();

    [Fact]
    public async Task Manifest_Counts_EqualTheSummaryLineAndDuckDb()
    {
        _folder.WriteOrders("in/orders.csv", 0, 2500);
        var spec = LakeSpecs.Orders(partitionBy: ["country"], maxRowsPerFile: 300);
        spec["transforms"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["type"] = "filter", ["where"] = "id % 5 != 0" });
        _folder.Save(spec);

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, result.ExitCode);
        var m = Summary().Match(result.Stdout);
        var manifest = _folder.Manifest(LakeSpecs.Sink);
        var counts = manifest.GetProperty("counts");
        Assert.Equal(m.Groups[1].Value, counts.GetProperty("read").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(m.Groups[2].Value, counts.GetProperty("filtered").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(m.Groups[3].Value, counts.GetProperty("failed").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(m.Groups[4].Value, counts.GetProperty("written").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(int.Parse(m.Groups[5].Value, System.Globalization.CultureInfo.InvariantCulture), manifest.GetProperty("files").GetArrayLength());
        Assert.Equal(2000, counts.GetProperty("written").GetInt64());
        Assert.Equal(2000, DuckDb.Count(_folder.Committed(LakeSpecs.Sink)));
        Assert.Equal(2000, manifest.GetProperty("files").EnumerateArray().Sum(f => f.GetProperty("rows").GetInt64()));
    }

    [Fact]
    public async Task Manifest_EveryFile_HasItsPartitionRowsAndBytes()
    {
        _folder.WriteOrders("in/orders.csv", 0, 600);
        _folder.Save(LakeSpecs.Orders(partitionBy: ["country"]));

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        foreach (var file in _folder.Manifest(LakeSpecs.Sink).GetProperty("files").EnumerateArray())
        {
            var path = file.GetProperty("path").GetString()!;
            Assert.Equal(path[..path.IndexOf('/', StringComparison.Ordinal)], file.GetProperty("partition").GetString());
            Assert.Equal(new FileInfo(_folder.PathOf($"{LakeSpecs.Sink}/{path}")).Length, file.GetProperty("bytes").GetInt64());
            Assert.Equal(DuckDb.Count(_folder.ParquetOf(LakeSpecs.Sink, [path])), file.GetProperty("rows").GetInt64());
        }
    }

    [Fact]
    public async Task Manifest_DescribesTheRun()
    {
        _folder.WriteOrders("in/orders.csv", 0, 10);
        var specPath = _folder.Save(LakeSpecs.Orders());

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json")).ExitCode);

        var manifest = _folder.Manifest(LakeSpecs.Sink);
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(specPath)));
        Assert.Equal("orders", manifest.GetProperty("spec").GetString());
        Assert.Equal(sha, manifest.GetProperty("specSha256").GetString());
        Assert.Equal("0.1.0", manifest.GetProperty("etlVersion").GetString());
        Assert.Equal(["id:int64 not null", "country:string", "amount:decimal(18,2)", "updated_at:timestamp"],
            manifest.GetProperty("schema").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}:{c.GetProperty("type").GetString()}").ToArray());
        Assert.True(manifest.GetProperty("endedAt").GetDateTimeOffset() >= manifest.GetProperty("startedAt").GetDateTimeOffset());
        Assert.True(File.Exists(_folder.PathOf($"{LakeSpecs.Sink}/_SUCCESS")));
    }

    [Fact]
    public async Task Manifest_SecretParameters_AreRedacted()
    {
        _folder.WriteOrders("in/orders.csv", 0, 10);
        var spec = LakeSpecs.Orders();
        spec["parameters"] = new System.Text.Json.Nodes.JsonObject { ["api_token"] = "default", ["region"] = "eu", ["password"] = "p" };
        _folder.Save(spec);

        Assert.Equal(0, (await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json", "--param", "api_token=s3cr3t-value", "--param", "password=hunter22")).ExitCode);

        var parameters = _folder.Manifest(LakeSpecs.Sink).GetProperty("parameters");
        Assert.Equal("***", parameters.GetProperty("api_token").GetString());
        Assert.Equal("***", parameters.GetProperty("password").GetString());
        Assert.Equal("eu", parameters.GetProperty("region").GetString());
        Assert.DoesNotContain("s3cr3t-value", File.ReadAllText(_folder.PathOf($"{LakeSpecs.Sink}/_manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLetters_BadRow_OneFilePerRunUnderTheFirstSinkNamingFileAndLine()
    {
        _folder.Write("in/orders.csv", "id,country,amount,updated_at\n1,FR,1.00,2026-01-01T00:00:00Z\n2,FR,oops,2026-01-01T00:00:00Z\n");
        var spec = LakeSpecs.Orders();
        spec["errors"] = new System.Text.Json.Nodes.JsonObject { ["maxFailedRecords"] = 5 };
        _folder.Save(spec);

        var result = await EtlCli.RunProcessAsync(_folder.Root, "run", "orders.json");

        Assert.Equal(0, result.ExitCode);
        var letter = JsonDocument.Parse(File.ReadAllLines(Directory.GetFiles(_folder.PathOf($"{LakeSpecs.Sink}/_errors"), "*.jsonl").Single()).Single()).RootElement;
        Assert.EndsWith("in/orders.csv:3", letter.GetProperty("origin").GetString(), StringComparison.Ordinal);
        Assert.Contains("amount", letter.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, DuckDb.Count(_folder.Committed(LakeSpecs.Sink)));
    }
}
