// The benchmark data is deterministic and exercises CSV quoting, newlines and non-ASCII text; DuckDB reads it back.
using DuckDB.NET.Data;
using Etl.Benchmarks.Data;

namespace Etl.Benchmarks.Tests.Data;

public sealed class OrdersGeneratorTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("etl-bench-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void WriteCsv_SameSeed_WritesTheSameBytes()
    {
        var a = Path.Combine(_folder, "a.csv");
        var b = Path.Combine(_folder, "b.csv");
        OrdersGenerator.WriteCsv(a, 42, 2_000);
        OrdersGenerator.WriteCsv(b, 42, 2_000);

        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void WriteCsv_OtherSeed_WritesOtherOrders()
    {
        var a = Path.Combine(_folder, "a.csv");
        var b = Path.Combine(_folder, "b.csv");
        OrdersGenerator.WriteCsv(a, 1, 100);
        OrdersGenerator.WriteCsv(b, 2, 100);

        Assert.NotEqual(File.ReadAllText(a), File.ReadAllText(b));
    }

    [Fact]
    public void WriteCsv_ReadByDuckDb_HasEveryRowWithQuotesNewlinesAndNonAscii()
    {
        var csv = Path.Combine(_folder, "orders.csv");
        OrdersGenerator.WriteCsv(csv, 7, 5_000);

        var read = $"read_csv('{csv}', header = true, quote = '\"', escape = '\"', all_varchar = true)";
        Assert.Equal(5_000L, Scalar($"SELECT count(*) FROM {read}"));
        Assert.True(Scalar($"SELECT count(*) FROM {read} WHERE note LIKE '%' || chr(10) || '%'") > 0);
        Assert.True(Scalar($"SELECT count(*) FROM {read} WHERE customer_name LIKE '%,%'") > 0);
        Assert.True(Scalar($"SELECT count(*) FROM {read} WHERE customer_name LIKE '%\"%'") > 0);
        Assert.True(Scalar($"SELECT count(*) FROM {read} WHERE customer_name LIKE '東京商事 #%'") > 0);
        Assert.True(Scalar($"SELECT count(*) FROM {read} WHERE note IS NULL") > 0);
    }

    [Fact]
    public void WriteNdjson_HoldsTheCsvOrdersNestedWithTheirItems()
    {
        var csv = Path.Combine(_folder, "orders.csv");
        var json = Path.Combine(_folder, "orders.ndjson");
        OrdersGenerator.WriteCsv(csv, 7, 1_000);
        OrdersGenerator.WriteNdjson(json, 7, 1_000);

        var lines = File.ReadAllLines(json);
        Assert.Equal(1_000, lines.Length);
        var differing = Scalar(
            $"SELECT count(*) FROM read_json('{json}', format = 'newline_delimited') j " +
            $"JOIN read_csv('{csv}', header = true, quote = '\"', escape = '\"', all_varchar = true) c ON j.id = c.id::BIGINT " +
            "WHERE j.customer.name <> c.customer_name OR j.amount::DECIMAL(18,2) <> c.amount::DECIMAL(18,2)");
        Assert.Equal(0L, differing);
        var items = Scalar($"SELECT count(*) FROM (SELECT unnest(items) FROM read_json('{json}', format = 'newline_delimited'))");
        Assert.Equal(OrdersGenerator.Orders(7, 1_000).Sum(o => (long)OrdersGenerator.Items(7, o.Id).Count), items);
    }

    [Fact]
    public void Ensure_SameStamp_DoesNotWriteAgain()
    {
        var writes = 0;
        void Write(string path, int seed, long rows)
        {
            writes++;
            File.WriteAllText(path, "x");
        }

        OrdersGenerator.Ensure(_folder, "o.csv", 1, 10, Write);
        OrdersGenerator.Ensure(_folder, "o.csv", 1, 10, Write);
        OrdersGenerator.Ensure(_folder, "o.csv", 2, 10, Write);

        Assert.Equal(2, writes);
    }

    private static long Scalar(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
