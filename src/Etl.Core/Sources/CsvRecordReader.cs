// One CsvHelper reader over a CSV file, or over a chunk of one, with the source's options: it reports each malformed
// record once, skips the ones it recovered, and numbers lines as in the whole file.
using System.Text;
using CsvHelper;

namespace Etl.Sources;

internal sealed class CsvRecordReader : IDisposable
{
    private readonly CsvReader _reader;
    private readonly string _file;
    private readonly ISourceOutput _output;
    private readonly Func<int> _headerFields;
    private readonly long _lineOffset;

    /// <summary>Malformed records that start before this byte offset were reported already (by the chunks that read
    /// them), and are not reported again.</summary>
    private long _reportFrom;

    private bool _pendingFirstRow;
    private bool _rejectCurrent;
    private long _rejectedLine = -1;

    // Fields every record must have: the header's, or without a header the first record's (-1 until known).
    private readonly bool _hasHeader;
    private int _fields = -1;

    private CsvRecordReader(Func<CsvReaderOptions, CsvReader> open, CsvSourceSpec spec, string file, ISourceOutput output, Func<int> headerFields, long lineOffset, bool poolStrings)
    {
        (_file, _output, _headerFields, _lineOffset, _hasHeader) = (file, output, headerFields, lineOffset, spec.Header);
        _reader = open(Options(spec, poolStrings));
    }

    /// <summary>A reader over a whole file (its header first).</summary>
    public static CsvRecordReader OverFile(Stream stream, CsvSourceSpec spec, string file, ISourceOutput output, Func<int> headerFields) =>
        new(options => CsvReader.Create(stream, options, leaveOpen: false), spec, file, output, headerFields, 0, poolStrings: true);

    /// <summary>A reader over a chunk: a header line of as many fields as the file's, then whole records of the file that
    /// start on line <paramref name="firstLine"/>. It pools no strings (see <see cref="RepeatedStrings"/>).</summary>
    public static CsvRecordReader OverChunk(ReadOnlyMemory<byte> chunk, long firstLine, CsvSourceSpec spec, string file, ISourceOutput output, Func<int> headerFields) =>
        new(options => CsvReader.Create(chunk, options), spec, file, output, headerFields, firstLine - 2, poolStrings: false);

    public CsvReader Reader => _reader;

    /// <summary>The line of the file where the current record starts.</summary>
    public long LineNumber => _reader.LineNumber + _lineOffset;

    /// <summary>Malformed records reported so far.</summary>
    public int Reports { get; private set; }

    private CsvReaderOptions Options(CsvSourceSpec spec, bool poolStrings)
    {
        var encoding = CsvSource.ResolveEncoding(spec.Encoding);
        return new CsvReaderOptions
        {
            Separator = spec.Delimiter[0],
            Quote = spec.Quote[0],
            HasHeader = spec.Header,
            Encoding = encoding is UTF8Encoding ? null : encoding,
            TrackLineNumbers = true,
            PoolStrings = poolStrings,
            AllowLineBreaksInQuotes = true,
            // Recover reads stray quotes literally and reports them unskipped; only an unclosed quote is refused then.
            MalformedData = spec.Strict ? CsvMalformedDataHandling.Skip : CsvMalformedDataHandling.Recover,
            // Field counts are checked in ReadAccepted, which lets a trailing delimiter on a data line through.
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = Report,
        };
    }

    private void Report(CsvMalformedRecord bad)
    {
        var line = bad.LineNumber + _lineOffset;
        // One dead letter a record (field counts are checked by ReadAccepted, after these).
        // By line, not record number: records skipped under strict do not advance the number, so the next bad
        // record would share it and go unreported.
        if ((!bad.Skipped && bad.Reason != CsvMalformedReason.UnterminatedQuote) || line == _rejectedLine || bad.ByteOffset < _reportFrom)
        {
            return;
        }
        _rejectedLine = line;
        // Recovering, an unclosed quote still reaches the reader as a record: it is dropped when read.
        _rejectCurrent = !bad.Skipped;
        Reports++;
        _output.Reject($"{_file}:{line}", $"malformed CSV record: {bad.Reason}", bad.RawRecord.ToString());
    }

    /// <summary>Reads the first record ahead (a file without header or names learns its columns from it); the next
    /// <see cref="ReadAccepted"/> stays on it.</summary>
    public bool ReadFirstRowAhead()
    {
        _pendingFirstRow = ReadAccepted();
        return _pendingFirstRow;
    }

    /// <summary>Reads the next record that was not refused while recovering and has the file's field count.</summary>
    public bool ReadAccepted()
    {
        if (_pendingFirstRow)
        {
            _pendingFirstRow = false;
            return true;
        }
        while (_reader.Read())
        {
            if (_rejectCurrent)
            {
                _rejectCurrent = false;
                continue;
            }
            if (_fields < 0)
            {
                _fields = _hasHeader ? _reader.Headers.Count : _reader.FieldCount;
            }
            if (_reader.FieldCount == _fields || IsTrailingDelimiter())
            {
                return true;
            }
            RejectFieldCount();
        }
        return false;
    }

    /// <summary>One more field than the header, and empty: a delimiter ending the line, as some exporters write on data
    /// lines only; DuckDB's read_csv (and pandas with index_col=False) read such a row without it, and so does the source.</summary>
    private bool IsTrailingDelimiter() => _reader.FieldCount == _fields + 1 && _reader.IsEmpty(_fields);

    private void RejectFieldCount()
    {
        var line = LineNumber;
        // Records before _reportFrom were reported by the chunk that read them.
        if (_reader.ByteOffset < _reportFrom || line == _rejectedLine)
        {
            return;
        }
        _rejectedLine = line;
        Reports++;
        _output.Reject($"{_file}:{line}", $"malformed CSV record: {CsvMalformedReason.FieldCountMismatch} (the header has {_headerFields()} fields)",
            Encoding.UTF8.GetString(_reader.RawRecord));
    }

    /// <summary>Moves on to the first accepted record that starts at or after byte <paramref name="offset"/> (the
    /// records before it were read in chunks); false at the end of the file.</summary>
    public bool SkipTo(long offset)
    {
        _reportFrom = offset;
        while (_reader.ByteOffset < offset)
        {
            if (!ReadAccepted())
            {
                return false;
            }
        }
        return true;
    }

    public void Dispose() => _reader.Dispose();
}
