// Pipeline specs the lake tests run: generated orders CSV into a Parquet (or CSV) sink, with the knobs under test.
using System.Text.Json.Nodes;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

internal static class LakeSpecs
{
    public const string Sink = "lake/orders";

    public static JsonObject Orders(string input = "in/orders*.csv", string sink = Sink, string mode = "overwrite",
        string[]? partitionBy = null, int? maxRowsPerFile = null, int batchSize = 1000, string sinkType = "parquet")
    {
        var sinkNode = new JsonObject { ["type"] = sinkType, ["path"] = sink, ["mode"] = mode };
        if (partitionBy is not null)
        {
            sinkNode["partitionBy"] = new JsonArray([.. partitionBy.Select(p => (JsonNode)p)]);
        }
        if (maxRowsPerFile is { } max)
        {
            sinkNode["maxRowsPerFile"] = max;
        }
        return new JsonObject
        {
            ["name"] = "orders",
            ["source"] = new JsonObject { ["type"] = "csv", ["path"] = input },
            ["schema"] = new JsonObject
            {
                ["id"] = "int64 not null",
                ["country"] = "string",
                ["amount"] = "decimal(18,2)",
                ["updated_at"] = "timestamp",
            },
            ["batch"] = new JsonObject { ["size"] = batchSize, ["boundedCapacity"] = 1000 },
            ["sinks"] = new JsonArray(sinkNode),
        };
    }

    public static string Save(this TestFolder folder, JsonObject spec, string name = "orders.json") =>
        folder.Write(name, spec.ToJsonString());

    /// <summary>The rows of an orders table, sorted, one line each: to compare two sinks row for row.</summary>
    public static List<string> OrderRows(string table, string columns = "id, country, amount, updated_at") =>
        DuckDb.Strings($"SELECT {columns} FROM {table} ORDER BY ALL");
}
