// Renders a running pipeline's stages (records in/out, rate, in-flight requests, retries, failures, a bar when the total is known).
using System.Globalization;
using Etl.Runtime;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Etl.Cli.Output;

public sealed class RunProgress(string specName, TimeProvider time)
{
    private readonly Dictionary<string, (long Out, long Ticks)> _last = [];
    private RunContext? _run;
    private readonly long _started = time.GetTimestamp();

    public void Attach(RunContext run) => _run = run;

    public RunContext? Run => _run;

    /// <summary>One table row per stage of the mesh.</summary>
    public IRenderable Render(bool final = false)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(specName)}[/]")
            .AddColumn("stage").AddColumn("kind").AddColumn(new TableColumn("in").RightAligned()).AddColumn(new TableColumn("out").RightAligned())
            .AddColumn(new TableColumn("rec/s").RightAligned()).AddColumn("status").AddColumn("progress");
        var run = _run;
        if (run is null)
        {
            table.AddRow("starting…", "", "", "", "", "", "");
            return table;
        }
        var c = run.Counters;
        foreach (var stage in c.Stages)
        {
            var status = "";
            var bar = "";
            if (stage.Kind == "Task")
            {
                status = SourceStatus(run);
                bar = Bar(run.Progress);
            }
            var rate = final ? (long)(stage.Out / Math.Max(Elapsed(), 0.001)) : Rate(stage);
            table.AddRow(Markup.Escape(stage.Name), Markup.Escape(stage.Kind), N(stage.In), N(stage.Out), N(rate), status, bar);
        }
        table.Caption($"read {N(c.Read)} · filtered {N(c.Filtered)} · failed {(c.Failed > 0 ? $"[red]{N(c.Failed)}[/]" : "0")} · written {N(c.Written)} · {Elapsed():F0}s");
        return table;
    }

    /// <summary>A single line for logs and non-terminal output.</summary>
    public string Line()
    {
        var run = _run;
        if (run is null)
        {
            return $"{specName}: starting";
        }
        var c = run.Counters;
        var source = c.Stages.FirstOrDefault(s => s.Kind == "Task");
        var pct = run.Progress.Total is > 0 and var t ? $" [{100.0 * run.Progress.Done / t:F0}%]" : "";
        var http = c.Requests > 0 ? $", requests {N(c.Requests)} (in flight {N(c.InFlight)}, retried {N(c.Retries)}, failed {N(c.FailedRequests)})" : "";
        return $"{specName}: read {N(c.Read)} ({N(source is null ? 0 : Rate(source))}/s), filtered {N(c.Filtered)}, failed {N(c.Failed)}, written {N(c.Written)}{http}{pct}, {Elapsed():F0}s";
    }

    private static string SourceStatus(RunContext run)
    {
        var c = run.Counters;
        if (c.Requests == 0 && c.InFlight == 0)
        {
            return "";
        }
        return $"in flight {N(c.InFlight)}, requests {N(c.Requests)}, retried {N(c.Retries)}, failed {(c.FailedRequests > 0 ? $"[red]{N(c.FailedRequests)}[/]" : "0")}";
    }

    private static string Bar(ProgressTotals p)
    {
        if (p.Total is not > 0)
        {
            return "";
        }
        var fraction = Math.Clamp((double)p.Done / p.Total.Value, 0, 1);
        const int width = 10;
        var filled = (int)Math.Round(fraction * width);
        return $"[green]{new string('█', filled)}[/][grey]{new string('░', width - filled)}[/] {fraction * 100:F0}% of {Total(p)}";
    }

    private static string Total(ProgressTotals p) => p.Unit == "bytes" ? Bytes(p.Total!.Value) : $"{N(p.Total!.Value)} {p.Unit}";

    private static string Bytes(long b) => b switch
    {
        >= 1L << 30 => $"{b / (double)(1L << 30):F1} GiB",
        >= 1L << 20 => $"{b / (double)(1L << 20):F1} MiB",
        >= 1L << 10 => $"{b / 1024.0:F1} KiB",
        _ => $"{b} B",
    };

    private long Rate(StageCounters stage)
    {
        var now = time.GetTimestamp();
        var outNow = stage.Out;
        if (!_last.TryGetValue(stage.Name, out var last))
        {
            _last[stage.Name] = (outNow, now);
            var elapsed = time.GetElapsedTime(_started, now).TotalSeconds;
            return elapsed > 0 ? (long)(outNow / elapsed) : 0;
        }
        var seconds = time.GetElapsedTime(last.Ticks, now).TotalSeconds;
        if (seconds < 0.5)
        {
            return seconds > 0 ? (long)((outNow - last.Out) / Math.Max(seconds, 0.25)) : 0;
        }
        _last[stage.Name] = (outNow, now);
        return (long)((outNow - last.Out) / seconds);
    }

    private double Elapsed() => time.GetElapsedTime(_started).TotalSeconds;

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
