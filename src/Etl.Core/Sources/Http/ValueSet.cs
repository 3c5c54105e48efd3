// The values one placeholder takes, enumerated lazily: a range, a list, a column read from CSV/Parquet files, or a parent request.
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Etl.Records;
using Etl.Runtime;

using Etl.Storage;

namespace Etl.Sources.Http;

internal abstract class ValueSet
{
    /// <summary>How many values, when known without reading anything.</summary>
    public abstract long? Count { get; }

    public abstract IAsyncEnumerable<object> EnumerateAsync(CancellationToken cancellationToken);

    /// <summary>A set enumerated once per outer value: cheap to repeat, or read once and kept.</summary>
    public virtual ValueSet Repeatable() => this;

    /// <param name="shared">The source's fetcher and slots; needed by a set fed by a parent request.</param>
    public static ValueSet Create(ValueSetSpec spec, RunContext run, SharedFetch? shared = null) => spec switch
    {
        { Request: { } request } => new RequestValueSet(request, run,
            shared ?? throw new InvalidOperationException("a value set fed by a request needs the source's shared fetcher")),
        { List: { } list } => new ListValues(list),
        { File: { } file } => new FileColumnValues(file, spec.Column!, spec.Format, run),
        _ => new RangeValues(spec.From!.Value, spec.To!.Value, spec.Step),
    };
}

internal sealed class RangeValues(long from, long to, long step) : ValueSet
{
    public override long? Count => (to - from) / step + 1;

    public override async IAsyncEnumerable<object> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        for (var i = 0L; i < Count; i++)
        {
            yield return from + i * step;
        }
    }
}

internal sealed class ListValues(IReadOnlyList<object> values) : ValueSet
{
    public override long? Count => values.Count;

    public override async IAsyncEnumerable<object> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.CompletedTask;
        foreach (var value in values)
        {
            yield return value;
        }
    }
}

/// <summary>The non-null values of one column of CSV or Parquet files, streamed through the existing file sources.</summary>
internal sealed class FileColumnValues(string path, string column, ValueFileFormat? format, RunContext run) : ValueSet
{
    private const int Buffered = 1024;

    public override long? Count => null;

    /// <summary>csv or parquet: as stated, else from the file names; a folder holding .parquet files is parquet.</summary>
    public async Task<ValueFileFormat> FormatAsync(CancellationToken cancellationToken) => format ?? (
        path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? ValueFileFormat.Parquet
        : CsvSource.Extensions.Any(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase)) ? ValueFileFormat.Csv
        : (await FileGlob.ExpandAsync(path, ParquetSource.Extensions, cancellationToken)).Count > 0 ? ValueFileFormat.Parquet
        : ValueFileFormat.Csv);

    public override ValueSet Repeatable() => new KeptValues(this);

    public override async IAsyncEnumerable<object> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The file source pushes records; a small bounded channel turns that into a pull that never reads far ahead.
        var channel = Channel.CreateBounded<object>(new BoundedChannelOptions(Buffered) { SingleReader = true, SingleWriter = true });
        // Its own context, so reading the ids does not move the run's progress or record counters.
        var context = new RunContext { RunId = run.RunId, Spec = run.Spec, DeadLetters = run.DeadLetters, Time = run.Time, Logger = run.Logger };
        ISource source = await FormatAsync(cancellationToken) == ValueFileFormat.Parquet
            ? new ParquetSource(new ParquetSourceSpec { Path = path }, context)
            : new CsvSource(new CsvSourceSpec { Path = path, InferTypes = false }, context);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = new ColumnOutput(channel.Writer, column, path);
        var read = Task.Run(async () =>
        {
            try
            {
                await source.ReadAsync(output, stop.Token);
                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        }, CancellationToken.None);
        try
        {
            await foreach (var value in channel.Reader.ReadAllAsync(cancellationToken))
            {
                yield return value;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await read;
        }
    }

    private sealed class ColumnOutput(ChannelWriter<object> writer, string column, string path) : ISourceOutput
    {
        public async ValueTask SendAsync(Record record, CancellationToken cancellationToken)
        {
            if (!record.TryGet(column, out var value))
            {
                throw new InvalidDataException($"{record.Origin ?? path}: no column '{column}' (columns are {string.Join(", ", record.Names)})");
            }
            if (value is not null)
            {
                await writer.WriteAsync(value, cancellationToken);
            }
        }

        public void Reject(string origin, string reason, string? raw) =>
            throw new InvalidDataException($"{origin}: {reason}");

        public void RejectRequest(DeadLetter letter) => throw new NotSupportedException();
    }

    /// <summary>A file column read once and then kept, for a placeholder that varies faster than another.</summary>
    private sealed class KeptValues(FileColumnValues inner) : ValueSet
    {
        private List<object>? _values;

        public override long? Count => _values?.Count;

        public override async IAsyncEnumerable<object> EnumerateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (_values is null)
            {
                var values = new List<object>();
                await foreach (var v in inner.EnumerateAsync(cancellationToken))
                {
                    values.Add(v);
                }
                _values = values;
            }
            foreach (var v in _values)
            {
                yield return v;
            }
        }
    }
}
