// A temporary folder to run the real etl executable in, with generated inputs and DuckDB to read the lake back.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Etl.Cli.Tests.Lake;

internal sealed record EtlResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

internal sealed class LakeWorkspace : IDisposable
{
    public static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(180);

    public LakeWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("etl-lake-").FullName;
    }

    public string Root { get; }

    public string PauseFile => P("pause");

    public string P(string relative) => Path.Combine(Root, relative);

    /// <summary>The etl apphost built under src/Etl.Cli/bin (the test's own configuration first). The copy next to the
    /// tests cannot run on its own: its dependencies were resolved for the test project.</summary>
    public static string Executable { get; } = FindExecutable();

    private static string FindExecutable()
    {
        var name = OperatingSystem.IsWindows() ? "etl.exe" : "etl";
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Etl.sln")))
        {
            dir = dir.Parent;
        }
        var own = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
        foreach (var configuration in new[] { own, "Debug", "Release" }.Distinct())
        {
            var built = Path.Combine(dir?.FullName ?? ".", "src", "Etl.Cli", "bin", configuration, "net10.0", name);
            if (File.Exists(built))
            {
                return built;
            }
        }
        throw new FileNotFoundException("the etl executable is not built: run dotnet build src/Etl.Cli");
    }

    public string Write(string relative, string content)
    {
        var path = P(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Orders with ids [from, to): country cycles through FR, DE, US, amount and updated_at grow with the id.</summary>
    public string WriteOrders(string relative, int from, int to)
    {
        var sb = new StringBuilder("id,country,amount,updated_at\n");
        var countries = new[] { "FR", "DE", "US" };
        var start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var id = from; id < to; id++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{id},{countries[id % 3]},{id % 1000}.{id % 100:D2},{start.AddMinutes(id):yyyy-MM-dd'T'HH:mm:ss'Z'}\n");
        }
        return Write(relative, sb.ToString());
    }

    public EtlResult Run(params string[] args) => Run(null, args);

    public EtlResult Run(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        using var process = Start(environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(RunTimeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"etl {string.Join(' ', args)} did not finish within {RunTimeout}");
        }
        return new EtlResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    public Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[k] = v;
        }
        return Process.Start(info) ?? throw new InvalidOperationException("etl did not start");
    }

    /// <summary>Starts etl paused at a test hook point and waits until it is there.</summary>
    public Process StartPausedAt(string point, params string[] args)
    {
        var process = Start(new Dictionary<string, string> { ["ETL_TEST_PAUSE_AT"] = point, ["ETL_TEST_PAUSE_FILE"] = PauseFile }, args);
        var deadline = DateTime.UtcNow + RunTimeout;
        while (!File.Exists(PauseFile + ".reached"))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"etl exited ({process.ExitCode}) before reaching {point}: {process.StandardError.ReadToEnd()}");
            }
            if (DateTime.UtcNow > deadline)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"etl did not reach {point}");
            }
            Thread.Sleep(20);
        }
        File.Delete(PauseFile + ".reached");
        return process;
    }

    public static void Kill9(Process process)
    {
        process.Kill();
        process.WaitForExit();
    }

    /// <summary>Files a lake reader sees: none of their path segments starts with '_' or '.'.</summary>
    public IReadOnlyList<string> VisibleFiles(string sink)
    {
        var folder = P(sink);
        return !Directory.Exists(folder) ? [] : [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => !f.Split('/').Any(s => s.StartsWith('_') || s.StartsWith('.')))
            .Order(StringComparer.Ordinal)];
    }

    public JsonElement Manifest(string sink) => JsonDocument.Parse(File.ReadAllText(P(Path.Combine(sink, "_manifest.json")))).RootElement.Clone();

    public IReadOnlyList<string> ManifestFiles(string sink) =>
        [.. Manifest(sink).GetProperty("files").EnumerateArray().Select(f => f.GetProperty("path").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>DuckDB's read_parquet over the given files of a sink, with Hive partitions, as a SQL table expression.</summary>
    public string ParquetOf(string sink, IEnumerable<string> files)
    {
        var all = files.ToList();
        if (all.Count == 0)
        {
            return "(SELECT NULL AS id WHERE false)";
        }
        var list = string.Join(", ", all.Select(f => $"'{P(Path.Combine(sink, f)).Replace("'", "''", StringComparison.Ordinal)}'"));
        return $"read_parquet([{list}], hive_partitioning = true, union_by_name = true)";
    }

    /// <summary>The rows of a sink as its manifest defines them.</summary>
    public string Committed(string sink) => ParquetOf(sink, ManifestFiles(sink));

    /// <summary>The rows of every visible file of a sink, as a reader listing the folder sees them.</summary>
    public string Visible(string sink) => ParquetOf(sink, VisibleFiles(sink));

    public static object? Scalar(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = command.ExecuteScalar();
        return value is DBNull ? null : value;
    }

    public static long Count(string table) => Convert.ToInt64(Scalar($"SELECT count(*) FROM {table}"), CultureInfo.InvariantCulture);

    public static List<string> Strings(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }
        return rows;
    }

    /// <summary>A fingerprint of a table's rows (sorted), to compare two sinks row for row.</summary>
    public static List<string> Rows(string table, string columns = "id, country, amount, updated_at") =>
        Strings($"SELECT {columns} FROM {table} ORDER BY ALL");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
