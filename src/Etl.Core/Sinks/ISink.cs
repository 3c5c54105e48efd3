// What a sink is: a writer of typed row batches into staged files that the committer publishes.
using Etl.Columns;
using Etl.Lake;
using Etl.Records;
using Etl.Spec;

namespace Etl.Sinks;

public interface ISink : IAsyncDisposable
{
    SinkSpec Spec { get; }

    /// <summary>Called once, before the first batch, with the schema fixed for the run.</summary>
    Task OpenAsync(TableSchema schema, string stagingFolder, int writerIndex, CancellationToken cancellationToken);

    /// <summary>The run's schema widened (schemaChange evolve): files open so far are finished, later rows go to new
    /// files of <paramref name="schema"/>.</summary>
    Task ChangeSchemaAsync(TableSchema schema, CancellationToken cancellationToken);

    /// <summary>Writes rows of a conformed batch (its columns are the schema's, of its types). A sink may hold rows back
    /// to make row groups of the spec's batch size; <see cref="CloseAsync"/> and <see cref="ChangeSchemaAsync"/> write
    /// them.</summary>
    Task WriteBatchAsync(ColumnBatch batch, CancellationToken cancellationToken);

    /// <summary>Writes one batch of rows (values in schema order, already converted to the column types).</summary>
    Task WriteBatchAsync(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>Closes every open file and returns them, checked and ready to publish.</summary>
    Task<IReadOnlyList<StagedFile>> CloseAsync(CancellationToken cancellationToken);

    /// <summary>After <see cref="CloseAsync"/>, when no writer of the sink wrote a row: stages one file of
    /// <paramref name="schema"/> without rows (none where that makes no sense, e.g. a partitioned sink).</summary>
    Task<StagedFile?> WriteEmptyAsync(TableSchema schema, string stagingFolder, CancellationToken cancellationToken);

    /// <summary>Counts the rows of a data file of this sink's format (one already in the lake that no manifest describes).</summary>
    Task<long> CountFileRowsAsync(string path, CancellationToken cancellationToken);
}
