// What a source is: something that reads records and hands them to the mesh.
using Etl.Columns;
using Etl.Records;
using Etl.Runtime;
using Etl.Spec;

namespace Etl.Sources;

public interface ISource
{
    /// <summary>Reads every record into <paramref name="output"/>; returns when the input is exhausted.</summary>
    Task ReadAsync(ISourceOutput output, CancellationToken cancellationToken);

    /// <summary>Whether reading mostly waits on the network (an HTTP API) rather than keeping a core busy: the runner
    /// then prepares the write path meanwhile.</summary>
    bool WaitsOnNetwork => false;
}

/// <summary>The mesh's entry, as a source sees it.</summary>
public interface ISourceOutput
{
    /// <summary>Sends one record into the mesh, waiting while the mesh is full.</summary>
    ValueTask SendAsync(Record record, CancellationToken cancellationToken);

    /// <summary>Rows a source that builds column batches puts in one batch.</summary>
    int BatchRows => 4096;

    /// <summary>Fields of nested objects the transforms will read, which a source may read ahead (a hint).</summary>
    NestedReads NestedReads => NestedReads.None;

    /// <summary>Sends a batch of rows (column or record form) into the mesh, waiting while the mesh is full. Each row
    /// counts as read.</summary>
    async ValueTask SendBatchAsync(ColumnBatch batch, CancellationToken cancellationToken)
    {
        foreach (var record in batch.ToRecords())
        {
            await SendAsync(record, cancellationToken);
        }
    }

    /// <summary>Accounts for an input record that could not be read (a malformed CSV row, invalid JSON line).</summary>
    void Reject(string origin, string reason, string? raw);

    /// <summary>Accounts for an input record with a value that does not convert to its column's type; the dead letter
    /// names the column and the value.</summary>
    void RejectValue(string origin, string column, string? value, string reason, string? raw) => Reject(origin, reason, raw);

    /// <summary>Accounts for a request that failed for good (HTTP sources).</summary>
    void RejectRequest(DeadLetter letter);
}

/// <summary>A source spec that can say what it will do (files, requests) for `etl plan`.</summary>
public interface IDescribedSource
{
    Task<string> DescribeAsync(LoadedSpec loaded, CancellationToken cancellationToken);
}
