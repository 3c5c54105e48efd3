// While a source waits on the network, the write path runs once on a made-up record in a scratch folder, so the
// just-in-time compilation it needs happens on an idle core instead of after the last response.
using System.Text;
using System.Text.Json.Nodes;
using Etl.Lake;
using Etl.Records;
using Etl.Sinks;
using Etl.Sources;
using Etl.Spec;
using Etl.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Etl.Runtime;

/// <summary>
/// A run of an HTTP source spends seconds waiting on responses and then, after the last one, conforms the records,
/// encodes the files, closes and checks them and commits them: code that runs once per process and is compiled on first
/// use (a tenth of a second for a Parquet sink). The rehearsal runs that same path (conformer, sinks, close, check,
/// the lake commit) on one record into a lake folder of its own while the requests are in flight. It writes nothing near the lake, shares no counters, dead
/// letters or checkpoints with the run, and a failure of the rehearsal is only a missed head start.
/// </summary>
internal sealed class WriteRehearsal : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts;

    private WriteRehearsal(RunContext run, string? scratchParent, Func<TimeSpan> processCpu, CancellationToken runToken)
    {
        _cts = CancellationTokenSource.CreateLinkedTokenSource(runToken);
        Rehearsed = Task.Run(async () => await FirstRecordsAsync(run, _cts.Token) && await CoreIdleAsync(run, processCpu, _cts.Token)
            && await RehearseAsync(run, scratchParent, _cts), CancellationToken.None);
    }

    /// <summary>Whether the write path ran through: conformed, written, closed, checked and committed.</summary>
    public Task<bool> Rehearsed { get; }

    /// <summary>Waits until the run has read its first records: by then its first requests are out, so the rehearsal
    /// takes no thread they need. False when the run ended first.</summary>
    private static async Task<bool> FirstRecordsAsync(RunContext run, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20), run.Time);
        try
        {
            while (run.Counters.Read == 0 && await timer.WaitForNextTickAsync(cancellationToken))
            {
            }
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Once the first records are in, whether a core is left idle for the rehearsal: a run that keeps every core
    /// busy (an API that answers at once) would compile the write path at its end just the same, and a rehearsal then
    /// only takes CPU from the run (≈ 45 ms per process, measured on one request: 0.52 → 0.48 s without it).</summary>
    private static async Task<bool> CoreIdleAsync(RunContext run, Func<TimeSpan> processCpu, CancellationToken cancellationToken)
    {
        try
        {
            return await IdleCores.AnyAsync(run.Time, processCpu, Environment.ProcessorCount, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Starts rehearsing the write path of <paramref name="run"/> on another thread.</summary>
    public static WriteRehearsal Start(RunContext run, CancellationToken runToken) => new(run, null, IdleCores.ProcessCpu, runToken);

    /// <summary>Starts a rehearsal whose scratch folder is made inside <paramref name="scratchParent"/>, the process's CPU
    /// time read from <paramref name="processCpu"/> (tests).</summary>
    internal static WriteRehearsal Start(RunContext run, string scratchParent, Func<TimeSpan> processCpu, CancellationToken runToken) =>
        new(run, scratchParent, processCpu, runToken);

    /// <summary>Stops the rehearsal if it is still going (a run shorter than it) and waits until its folder is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!Rehearsed.IsCompleted)
        {
            await _cts.CancelAsync();
        }
        await Rehearsed;
        _cts.Dispose();
    }

    private static async Task<bool> RehearseAsync(RunContext run, string? scratchParent, CancellationTokenSource cts)
    {
        try
        {
            // Inside the try: a system without a writable temporary folder only misses the head start.
            using var scratch = ScratchFolder.Create(scratchParent, "rehearsal");
            var loaded = run.Spec with { Spec = RehearsalSpec(run.Spec.Spec, scratch.Folder) };
            await using var deadLetters = new DeadLetterWriter(loaded.Spec.Errors!.DeadLetterPath!, "rehearsal", run.Secrets);
            var started = run.Time.GetUtcNow();
            var rehearsal = new RunContext { RunId = PipelineRunner.NewRunId(started), Spec = loaded, DeadLetters = deadLetters, Time = run.Time, Logger = NullLogger.Instance };
            var committers = loaded.Spec.Sinks.Select(s => new LakeCommitter(s, rehearsal.RunId) { Time = run.Time }).ToList();
            var sinks = loaded.Spec.Sinks.Select(s => (IReadOnlyList<ISink>)[(ISink)Components.For(s.GetType()).Create(s, rehearsal)]).ToList();
            try
            {
                foreach (var committer in committers)
                {
                    await committer.PrepareAsync(started, cts.Token);
                }
                var conformer = new Conformer(loaded.Spec, rehearsal);
                var parts = new MeshParts(new OneRecord(SampleRecord(loaded.Spec)), null, [], conformer, sinks, [.. committers.Select(c => c.StagingFolder)]);
                await RecordMesh.RunAsync(rehearsal, MeshPlan.For(loaded), parts, cts);
                await new RunCommit(rehearsal, started, sinks, committers, conformer, null).CommitAsync(cts.Token);
                return rehearsal.Counters.Written == 1;
            }
            finally
            {
                foreach (var sink in sinks.Select(s => s[0]))
                {
                    await sink.DisposeAsync();
                }
                committers.ForEach(c => c.Dispose());
            }
        }
#pragma warning disable CA1031 // A rehearsal that fails (whatever the reason) leaves the run as it would have been without it.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    /// <summary>The run's spec, writing into <paramref name="folder"/>: no transforms (the made-up record has none of
    /// the fields they use), one writer per sink, dead letters kept in the folder.</summary>
    private static PipelineSpec RehearsalSpec(PipelineSpec spec, string folder) => spec with
    {
        Transforms = null,
        Sinks = [.. spec.Sinks.Select((s, i) => s with { Path = $"{folder}/sink{i}", Writers = 1, Mode = SinkMode.Overwrite })],
        Errors = new ErrorsSpec { DeadLetterPath = $"{folder}/errors", MaxFailedRecords = long.MaxValue },
        TimeoutSeconds = null,
    };

    /// <summary>A record as a JSON API sends it: a value for every declared column, and when the schema is inferred, a
    /// field of every kind the inference types (numbers, text, flags, timestamps, dates, nulls, nested values).</summary>
    private static Record SampleRecord(PipelineSpec spec)
    {
        var json = new JsonObject();
        foreach (var (name, type) in spec.Columns ?? [])
        {
            json[name] = ColumnType.TryParse(type, out var t) ? SampleValue(t!.Kind) : "1";
        }
        if (spec.Columns is null)
        {
            foreach (var kind in Enum.GetValues<ColumnKind>())
            {
                json[$"sample_{kind}".ToLowerInvariant()] = SampleValue(kind);
            }
            json["sample_none"] = null;
            json["sample_object"] = new JsonObject { ["a"] = 1, ["b"] = "x" };
            json["sample_list"] = new JsonArray(1, 2);
        }
        return (Record)RecordJson.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()))!;
    }

    private static JsonNode? SampleValue(ColumnKind kind) => kind switch
    {
        ColumnKind.Bool => true,
        ColumnKind.Int32 or ColumnKind.Int64 => 12345,
        ColumnKind.Double => 1.5,
        ColumnKind.Decimal => JsonNode.Parse("12.34"),
        ColumnKind.Date => "2026-01-02",
        ColumnKind.Timestamp => "2026-01-02T03:04:05Z",
        _ => "text",
    };

    /// <summary>The rehearsal's source: the one made-up record.</summary>
    private sealed class OneRecord(Record record) : ISource
    {
        public async Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken) => await output.SendAsync(record, cancellationToken);
    }
}
