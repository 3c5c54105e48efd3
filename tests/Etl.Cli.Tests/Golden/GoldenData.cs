// The rows of a sink's data files as a user reads them: Parquet through DuckDB (column names, DuckDB types, row
// groups, codec, Parquet schema), CSV as its exact text (the text format is the contract).
using System.IO.Compression;
using System.Text;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Golden;

public static class GoldenData
{
    public static void Render(StringBuilder text, GoldenFiles files, string sink, bool unordered, GoldenDuckDb duck)
    {
        var data = files.DataFiles(sink).ToList();
        if (!unordered)
        {
            foreach (var file in data)
            {
                GoldenSnapshot.Section(text, $"{Kind(file)} {files.Label(file)}");
                Lines(text, Kind(file) == "csv" ? CsvLines(file) : ParquetFile(duck, file));
            }
            return;
        }
        foreach (var folder in data.GroupBy(f => (Kind(f), GoldenFiles.PartitionOf(f, sink))).OrderBy(g => g.Key))
        {
            var label = files.Relative(Path.Combine(sink, folder.Key.Item2)).TrimEnd('/', '.');
            GoldenSnapshot.Section(text, $"{folder.Key.Item1} rows below {label}, all files, sorted");
            Lines(text, folder.Key.Item1 == "csv" ? SortedCsv(folder) : SortedParquet(duck, folder));
        }
    }

    private static string Kind(string file) => file.EndsWith(".parquet", StringComparison.Ordinal) ? "parquet" : "csv";

    private static void Lines(StringBuilder text, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            text.Append(GoldenCanon.Visible(line)).Append('\n');
        }
    }

    private static IEnumerable<string> ParquetFile(GoldenDuckDb duck, string file)
    {
        var path = DuckDb.Quote(file);
        var groups = duck.Strings($"SELECT row_group_num_rows FROM parquet_metadata({path}) GROUP BY row_group_id, row_group_num_rows ORDER BY row_group_id");
        var codecs = duck.Strings($"SELECT DISTINCT compression FROM parquet_metadata({path}) ORDER BY 1");
        yield return $"row groups: {string.Join(", ", groups)}; codec {string.Join(", ", codecs)}";
        var schema = duck.Strings($"SELECT name, type, repetition_type, logical_type FROM parquet_schema({path}) WHERE type IS NOT NULL");
        yield return $"parquet schema: {string.Join("; ", schema)}";
        var table = $"read_parquet({path}, hive_partitioning = true, file_row_number = true)";
        yield return Columns(duck, $"(SELECT * EXCLUDE (file_row_number) FROM {table})");
        foreach (var row in duck.Strings($"SELECT * EXCLUDE (file_row_number) FROM {table} ORDER BY file_row_number"))
        {
            yield return row;
        }
    }

    private static IEnumerable<string> SortedParquet(GoldenDuckDb duck, IEnumerable<string> files)
    {
        var table = DuckDb.ParquetFiles(files);
        yield return Columns(duck, table);
        foreach (var row in duck.Strings($"SELECT * FROM {table}").Order(StringComparer.Ordinal))
        {
            yield return row;
        }
    }

    private static string Columns(GoldenDuckDb duck, string table) => "columns: " + string.Join(", ", duck.Describe(table));

    /// <summary>The file's text line by line; each line keeps its CR (shown as \r), a last line without a line end says so.</summary>
    private static IEnumerable<string> CsvLines(string file)
    {
        var content = CsvText(file);
        var lines = content.Split('\n');
        var count = content.EndsWith('\n') ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < count; i++)
        {
            yield return lines[i];
        }
        if (!content.EndsWith('\n') && content.Length > 0)
        {
            yield return "(no line end after the last line)";
        }
    }

    /// <summary>Each distinct header, then every other line of the folder's files, sorted.</summary>
    private static IEnumerable<string> SortedCsv(IEnumerable<string> files)
    {
        var split = files.Select(f => CsvLines(f).ToList()).ToList();
        foreach (var header in split.Select(l => "header: " + l.FirstOrDefault()).Distinct().Order(StringComparer.Ordinal))
        {
            yield return header;
        }
        foreach (var line in split.SelectMany(l => l.Skip(1)).Order(StringComparer.Ordinal))
        {
            yield return line;
        }
    }

    private static string CsvText(string file)
    {
        using var stream = File.OpenRead(file);
        using var decompressed = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
        using var reader = new StreamReader(decompressed, new UTF8Encoding(false, throwOnInvalidBytes: false));
        return reader.ReadToEnd();
    }
}
