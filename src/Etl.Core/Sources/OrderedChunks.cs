// Parses the chunks of an input on one worker per core and hands what each became on in input order.
using System.Threading.Tasks.Dataflow;

namespace Etl.Sources;

internal static class OrderedChunks
{
    /// <summary>Reads <paramref name="chunks"/> on a task of its own into a bounded, ordered block that runs
    /// <paramref name="parse"/> on up to <paramref name="workers"/> chunks at once, and calls <paramref name="consume"/>
    /// with each result in the chunks' order. A failure anywhere cancels the rest and is thrown.</summary>
    public static async Task RunAsync<TChunk, TParsed>(Func<CancellationToken, IAsyncEnumerable<TChunk>> chunks,
        Func<TChunk, CancellationToken, Task<TParsed>> parse, Func<TParsed, CancellationToken, Task> consume,
        int workers, int capacity, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var block = new TransformBlock<TChunk, TParsed>(chunk => parse(chunk, cts.Token), new ExecutionDataflowBlockOptions
        {
            MaxDegreeOfParallelism = workers,
            BoundedCapacity = capacity,
            EnsureOrdered = true,
            CancellationToken = cts.Token,
        });
        var reading = Task.Run(() => ReadIntoAsync(chunks(cts.Token), block, cts.Token), CancellationToken.None);
        try
        {
            while (await block.OutputAvailableAsync(cts.Token))
            {
                while (block.TryReceive(out var parsed))
                {
                    await consume(parsed, cts.Token);
                }
            }
            await reading;
            await block.Completion;
        }
        catch
        {
            await cts.CancelAsync();
            await Task.WhenAny(reading);
            throw;
        }
    }

    private static async Task ReadIntoAsync<TChunk>(IAsyncEnumerable<TChunk> chunks, ITargetBlock<TChunk> block, CancellationToken ct)
    {
        try
        {
            await foreach (var chunk in chunks.WithCancellation(ct))
            {
                if (!await block.SendAsync(chunk, ct))
                {
                    return; // a worker failed: the block's completion says why
                }
            }
            block.Complete();
        }
        catch (Exception e)
        {
            block.Fault(e);
            throw;
        }
    }
}
