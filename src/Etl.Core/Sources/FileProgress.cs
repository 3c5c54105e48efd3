// Counts what a reader took from one file as progress in the file's own bytes, which the progress total is made of.
using Etl.Runtime;

namespace Etl.Sources;

/// <summary>A plain file advances progress by the bytes read; a compressed one by about as many of its compressed
/// bytes as hold what was read (the total counts files as they are stored).</summary>
internal sealed class FileProgress(ProgressTotals totals, Stream stream)
{
    private readonly long _start = totals.Done;
    private long _read;

    public void Advance(long n)
    {
        if (stream is DecompressingStream compressed)
        {
            _read += n;
            totals.SetDone(_start + compressed.FileBytesAt(_read));
        }
        else
        {
            totals.Advance(n);
        }
    }
}
