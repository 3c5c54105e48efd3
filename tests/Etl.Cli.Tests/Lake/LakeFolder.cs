// Lake helpers on a TestFolder: generated orders, a sink's manifest, and its rows as the manifest or a folder listing defines them.
using System.Globalization;
using System.Text;
using System.Text.Json;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Lake;

internal static class LakeFolder
{
    /// <summary>Orders with ids [from, to): country cycles through FR, DE, US, amount and updated_at grow with the id.</summary>
    public static string WriteOrders(this TestFolder folder, string relative, int from, int to)
    {
        var sb = new StringBuilder("id,country,amount,updated_at\n");
        var countries = new[] { "FR", "DE", "US" };
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var id = from; id < to; id++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{id},{countries[id % 3]},{id % 1000}.{id % 100:D2},{start.AddMinutes(id):yyyy-MM-dd'T'HH:mm:ss'Z'}\n");
        }
        return folder.Write(relative, sb.ToString());
    }

    /// <summary>The files a lake reader sees in <paramref name="sink"/>, relative to it with '/' as the manifest names them.</summary>
    public static IReadOnlyList<string> SinkFiles(this TestFolder folder, string sink)
    {
        var root = folder.PathOf(sink);
        return [.. folder.VisibleFiles(sink).Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal)];
    }

    public static JsonElement Manifest(this TestFolder folder, string sink) =>
        JsonDocument.Parse(File.ReadAllText(folder.PathOf(Path.Combine(sink, "_manifest.json")))).RootElement.Clone();

    /// <summary>The files the manifest of <paramref name="sink"/> commits, relative to the sink.</summary>
    public static IReadOnlyList<string> ManifestFiles(this TestFolder folder, string sink) =>
        [.. folder.Manifest(sink).GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>DuckDB's read_parquet over the given files of a sink (relative to it), as a SQL table expression.</summary>
    public static string ParquetOf(this TestFolder folder, string sink, IEnumerable<string> files) =>
        DuckDb.ParquetFiles(files.Select(f => folder.PathOf(Path.Combine(sink, f))));

    /// <summary>The rows of a sink as its manifest defines them.</summary>
    public static string Committed(this TestFolder folder, string sink) => folder.ParquetOf(sink, folder.ManifestFiles(sink));

    /// <summary>The rows of every visible file of a sink, as a reader listing the folder sees them.</summary>
    public static string Visible(this TestFolder folder, string sink) => folder.ParquetOf(sink, folder.SinkFiles(sink));
}
