// Runs the real etl on a pseudo-terminal (pty_run.py) as a person would, and keeps the screen while it runs and at the end.
using System.Diagnostics;
using System.Text;
using Etl.Cli.Tests.Commands;
using Etl.Cli.Tests.TestSupport;

namespace Etl.Cli.Tests.Terminal;

public sealed class TerminalRun : IAsyncLifetime, IDisposable
{
    public const int Columns = 160;
    public const int Rows = 50;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    // Spectre.Console turns the live display off where these say a CI server runs: the child must look like a person's terminal.
    private static readonly string[] CiVariables =
    [
        "CI", "GITHUB_ACTIONS", "TF_BUILD", "GITLAB_CI", "CI_SERVER", "JENKINS_URL", "TEAMCITY_VERSION", "TRAVIS", "APPVEYOR",
        "BITBUCKET_REPO_OWNER", "BITBUCKET_REPO_SLUG", "BITBUCKET_COMMIT", "BITRISE_BUILD_URL", "GO_SERVER_URL", "bamboo_buildNumber",
        "ContinuaCI.Version", "BuildRunner", "NO_COLOR",
    ];

    private readonly TestFolder _folder = new();
    private readonly StringBuilder _output = new();

    public int ExitCode { get; private set; }

    /// <summary>Everything etl drew, escape sequences included.</summary>
    public string Output { get; private set; } = "";

    /// <summary>The screen while the run is held at its first written batch, the source part read.</summary>
    public IReadOnlyList<string> WhileRunning { get; private set; } = [];

    public IReadOnlyList<string> AtEnd { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var spec = WriteInputs();
        var pause = _folder.PathOf("pause");
        using var process = Process.Start(StartInfo(spec, pause)) ?? throw new InvalidOperationException("could not start python3");
        var reading = ReadAsync(process.StandardOutput);
        using var timeout = new CancellationTokenSource(Timeout);
        // Held at the first written batch (10,000 rows of 200,000), the run shows a part-read source for as long as the test needs.
        try
        {
            while (!File.Exists(pause + ".reached") || !ShowsTimeLeft(WhileRunning = TerminalScreen.Of(Snapshot(), Columns).Lines))
            {
                await Task.Delay(50, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"no time left shown within {Timeout}; the screen:\n{string.Join('\n', TerminalScreen.Of(Snapshot(), Columns).Lines)}");
        }
        await File.WriteAllTextAsync(pause, "", timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        await reading;
        ExitCode = process.ExitCode;
        Output = Snapshot();
        AtEnd = TerminalScreen.Of(Output, Columns).Lines;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _folder.Dispose();

    public override string ToString() => $"exit {ExitCode}\nwhile running:\n{string.Join('\n', WhileRunning)}\nat the end:\n{string.Join('\n', AtEnd)}";

    // The whole source row drawn, not a frame cut in the middle.
    private static bool ShowsTimeLeft(IReadOnlyList<string> screen) =>
        screen.Any(l => l.Contains("│ source (csv)", StringComparison.Ordinal) && l.Contains("ETA ", StringComparison.Ordinal) && l.EndsWith('│'));

    private string WriteInputs()
    {
        var csv = new StringBuilder("id,country,amount\n");
        for (var i = 0; i < 200_000; i++)
        {
            csv.Append(i).Append(i % 3 == 0 ? ",FR," : ",DE,").Append(i % 500).Append(".25\n");
        }
        _folder.Write("in/orders.csv", csv.ToString());
        return _folder.Write("orders.json", $$"""
            { "name": "orders",
              "source": { "type": "csv", "path": {{_folder.Json("in/orders.csv")}} },
              "transforms": [ { "type": "filter", "where": "amount > 100" } ],
              "sinks": [ { "type": "csv", "path": {{_folder.Json("lake/orders")}} } ] }
            """);
    }

    private static ProcessStartInfo StartInfo(string spec, string pause)
    {
        var info = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            StandardOutputEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(spec)!,
        };
        foreach (var a in new[] { Path.Combine(Repo.Root, "tests", "Etl.Cli.Tests", "Terminal", "pty_run.py"), $"{Columns}", $"{Rows}", EtlCli.Executable, "run", spec })
        {
            info.ArgumentList.Add(a);
        }
        foreach (var name in CiVariables)
        {
            info.Environment.Remove(name);
        }
        info.Environment["TERM"] = "xterm-256color";
        info.Environment["ETL_TEST_PAUSE_AT"] = "write";
        info.Environment["ETL_TEST_PAUSE_FILE"] = pause;
        return info;
    }

    private async Task ReadAsync(StreamReader output)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await output.ReadAsync(buffer)) > 0)
        {
            lock (_output)
            {
                _output.Append(buffer, 0, n);
            }
        }
    }

    private string Snapshot()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }
}
