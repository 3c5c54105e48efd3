// Renders a running pipeline's stages (records in/out, rate, HTTP requests, a bar, throughput and time left when the total is known).
using Etl.Runtime;
using Spectre.Console;
using Spectre.Console.Rendering;
using static Etl.Cli.Output.Units;

namespace Etl.Cli.Output;

public sealed class RunProgress(string specName, TimeProvider time)
{
    /// <summary>Rates are measured over at least this long, so one slow or quick chunk does not make them jump.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(1);

    private const int BarWidth = 10;

    // The rate of the source's progress (bytes, requests, records) is sampled under a key no stage name can take.
    private const string ProgressKey = "\0progress";
    private readonly Dictionary<string, (long Value, long Ticks, double Rate)> _samples = [];
    private readonly long _started = time.GetTimestamp();
    private RunContext? _run;

    public void Attach(RunContext run) => _run = run;

    public RunContext? Run => _run;

    /// <summary>One table row per stage of the mesh; <paramref name="final"/> shows averages over the whole run.
    /// The requests column only for HTTP sources: file runs keep the table narrow.</summary>
    public IRenderable Render(bool final = false)
    {
        var run = _run;
        var requests = run is not null && (run.Progress.Unit != "bytes" || run.Counters.Requests > 0);
        var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Markup.Escape(specName)}[/]")
            .AddColumn("stage").AddColumn("kind").AddColumn(new TableColumn("in").RightAligned()).AddColumn(new TableColumn("out").RightAligned())
            .AddColumn(new TableColumn("rec/s").RightAligned());
        if (requests)
        {
            table.AddColumn("requests");
        }
        table.AddColumn("progress");
        if (run is null)
        {
            table.AddRow("starting…", "", "", "", "", "");
            return table;
        }
        var c = run.Counters;
        foreach (var stage in c.Stages)
        {
            var isSource = stage.Kind == "Task";
            var rate = Rate(stage.Name, stage.Out, final);
            List<string> cells = [Markup.Escape(stage.Name), Markup.Escape(stage.Kind), Count(stage.In), Count(stage.Out), Count((long)rate)];
            if (requests)
            {
                cells.Add(isSource ? RequestCounts(c, markup: true) : "");
            }
            cells.Add(isSource ? SourceProgress(run.Progress, final) : "");
            table.AddRow([.. cells]);
        }
        var left = Left(run.Progress) is { } l ? $" · ETA {TimeLeft.Format(l)}" : "";
        table.Caption($"read {Count(c.Read)} · filtered {Count(c.Filtered)} · failed {(c.Failed > 0 ? $"[red]{Count(c.Failed)}[/]" : "0")} · written {Count(c.Written)}{Partitions(c, " · ")} · {Elapsed().TotalSeconds:F0}s{left}");
        return table;
    }

    /// <summary>A single line for logs and non-terminal output.</summary>
    public string Line()
    {
        if (_run is not { } run)
        {
            return $"{specName}: starting";
        }
        var c = run.Counters;
        var p = run.Progress;
        var source = c.Stages.FirstOrDefault(s => s.Kind == "Task");
        var rows = $"{Count((long)(source is null ? 0 : Rate(source.Name, source.Out, final: false)))}/s";
        var bytes = p.Unit == "bytes" && p.Total is not null ? $", {Units.Rate(Rate(ProgressKey, p.Done, final: false), p.Unit)}" : "";
        var http = p.Unit == "requests"
            ? $", requests {Done(p)} ({Count((long)Rate(ProgressKey, p.Done, final: false))}/s; {RequestCounts(c, markup: false)})"
            : c.Requests > 0 ? $", requests ({RequestCounts(c, markup: false)})" : "";
        var left = Left(p) is { } l ? $", ETA {TimeLeft.Format(l)}" : "";
        var pct = p.Total is > 0 and var t ? $" [{100.0 * p.Done / t:F0}%{left}]" : "";
        return $"{specName}: read {Count(c.Read)} ({rows}{bytes}), filtered {Count(c.Filtered)}, failed {Count(c.Failed)}, written {Count(c.Written)}{Partitions(c, ", ")}{http}{pct}, {Elapsed().TotalSeconds:F0}s";
    }

    /// <summary>Partitioned sinks hold rows until the end of the run: how many partitions they have and how many are
    /// in their files yet. Empty without partitionBy.</summary>
    private static string Partitions(RunCounters c, string separator) =>
        c.Partitions is { Seen: > 0 } p ? $"{separator}partitions written {Count(p.Written)}/{Count(p.Seen)}" : "";

    /// <summary>Requests sent, in flight, retried, held at a Retry-After gate and failed, for HTTP sources.</summary>
    private static string RequestCounts(RunCounters c, bool markup)
    {
        var failed = markup && c.FailedRequests > 0 ? $"[red]{Count(c.FailedRequests)}[/]" : Count(c.FailedRequests);
        return $"sent {Count(c.Requests)}, in flight {Count(c.InFlight)}, retried {Count(c.Retries)}, waiting on Retry-After {Count(c.WaitingOnGate)}, failed {failed}";
    }

    /// <summary>The source's bar: share done of the known total, its throughput and the time left.</summary>
    private string SourceProgress(ProgressTotals p, bool final)
    {
        if (p.Total is not > 0)
        {
            return "";
        }
        var fraction = Math.Clamp((double)p.Done / p.Total.Value, 0, 1);
        var filled = (int)Math.Round(fraction * BarWidth);
        var bar = $"[green]{new string('█', filled)}[/][grey]{new string('░', BarWidth - filled)}[/]";
        var amount = p.Unit == "bytes" ? $"{fraction * 100:F0}% of {Bytes(p.Total.Value)}" : $"{Done(p)} {p.Unit}";
        var left = Left(p) is { } l ? $" · ETA {TimeLeft.Format(l)}" : "";
        return $"{bar} {amount} · {Units.Rate(Rate(ProgressKey, p.Done, final), p.Unit)}{left}";
    }

    private static string Done(ProgressTotals p) => p.Total is { } total ? $"{Count(p.Done)}/{Count(total)}" : Count(p.Done);

    private TimeSpan? Left(ProgressTotals p) => TimeLeft.Estimate(p.Done, p.Total, Elapsed());

    /// <summary>Per second over the last <see cref="RateWindow"/> or more; the average since the start until a window has passed, and when final.</summary>
    private double Rate(string key, long value, bool final)
    {
        var now = time.GetTimestamp();
        var sinceStart = Elapsed().TotalSeconds;
        if (final || !_samples.TryGetValue(key, out var last))
        {
            var average = sinceStart > 0 ? value / sinceStart : 0;
            _samples[key] = (value, now, average);
            return average;
        }
        var seconds = time.GetElapsedTime(last.Ticks, now).TotalSeconds;
        if (seconds < RateWindow.TotalSeconds)
        {
            return last.Rate;
        }
        var rate = (value - last.Value) / seconds;
        _samples[key] = (value, now, rate);
        return rate;
    }

    private TimeSpan Elapsed() => time.GetElapsedTime(_started);
}
