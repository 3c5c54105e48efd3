// The column batch a CSV file is read into: typed columns filled row by row, cut at the output's batch rows or a byte budget.
using Etl.Columns;
using Etl.Records;

namespace Etl.Sources;

/// <summary>
/// Rows of one file as typed columns and their line numbers. A row is set column by column at <see cref="Row"/> and
/// counts once <see cref="Commit"/> is called; a row the source rejects half way is simply not committed. The batch is
/// full at <paramref name="batchRows"/> rows, or earlier once another row would take its estimated size past <see cref="MaxBatchBytes"/>
/// (hundreds of columns would otherwise hold hundreds of MB per batch in flight).
/// </summary>
internal sealed class CsvBatchBuilder
{
    /// <summary>The size past which a batch is sent before it has its rows: a few MB keeps wide files' memory flat.</summary>
    public const long MaxBatchBytes = 4L << 20;

    /// <summary>Rows a file's first batch has room for before it grows; small files stay small.</summary>
    public const int InitialCapacity = 256;

    private readonly string[] _names;
    private readonly CsvColumnBuffer[] _columns;
    private readonly string _file;
    private readonly int _batchRows;
    private readonly long _rowBytes;
    private readonly CsvColumnBuffer.TextSize _text = new();
    private long[] _lines;
    private int _capacity;
    private int _rows;

    /// <param name="chunkRows">For a chunk of a large file, about how many rows it holds: its first batch starts with
    /// room for them (up to <paramref name="batchRows"/>) rather than growing, and its text columns share the strings
    /// of repeated values themselves (see <see cref="RepeatedStrings"/>).</param>
    public CsvBatchBuilder(string file, string[] names, IReadOnlyList<ColumnType?> types, bool utf8, int batchRows, int? chunkRows = null)
    {
        (_file, _names, _batchRows) = (file, names, Math.Max(1, batchRows));
        _rowBytes = 8;
        var chunk = chunkRows is not null;
        _capacity = Math.Clamp(chunkRows ?? InitialCapacity, 1, _batchRows);
        _columns = new CsvColumnBuffer[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            _columns[i] = CsvColumnBuffer.For(types[i], utf8, _capacity, _text, chunk ? new RepeatedStrings() : null);
            _rowBytes += _columns[i].RowBytes;
        }
        _lines = GC.AllocateUninitializedArray<long>(_capacity);
    }

    public CsvColumnBuffer this[int column] => _columns[column];

    public int RowCount => _rows;

    /// <summary>The index the next row's values go to (room is made for it).</summary>
    public int Row
    {
        get
        {
            if (_rows == _capacity)
            {
                GrowTo(Math.Min(_batchRows, _capacity * 2));
            }
            return _rows;
        }
    }

    /// <summary>Counts the row set at <see cref="Row"/>, from line <paramref name="line"/>; true when the batch is full.</summary>
    public bool Commit(long line)
    {
        _lines[_rows++] = line;
        if (_rows >= _batchRows)
        {
            return true;
        }
        // Full when one more row of the average size would pass the budget.
        var bytes = (_rows * _rowBytes) + _text.Bytes;
        return bytes > MaxBatchBytes / 2 && bytes + (bytes / _rows) > MaxBatchBytes;
    }

    /// <summary>The committed rows as a column batch; the builder starts the next one (with no room when
    /// <paramref name="last"/>, and room for about <paramref name="rowsLeft"/> rows when the input says how many are left).</summary>
    public ColumnBatch Take(bool last, int? rowsLeft = null)
    {
        var rows = _rows;
        // A batch cut by bytes sizes the next ones (with some room, as rows vary): arrays grown past it would be waste.
        var capacity = last ? 0 : rows < _batchRows ? Math.Min(_batchRows, rows + (rows / 8) + 1) : _capacity;
        if (rowsLeft is { } left)
        {
            // The rest of a chunk is often a small part of a batch: a full batch's arrays for it would be waste.
            capacity = Math.Clamp(left + (left / 8) + 1, 1, Math.Max(1, capacity));
        }
        var columns = new Column[_columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            columns[i] = _columns[i].Take(rows, capacity);
        }
        // A full array goes with the batch as it is; the next batch gets a new one anyway.
        var origins = new BatchOrigins(_file, rows == _lines.Length ? _lines : _lines.AsSpan(0, rows).ToArray());
        _lines = GC.AllocateUninitializedArray<long>(capacity);
        _capacity = capacity;
        _rows = 0;
        _text.Bytes = 0;
        return new ColumnBatch(_names, columns, rows, origins);
    }

    private void GrowTo(int capacity)
    {
        foreach (var column in _columns)
        {
            column.Grow(capacity);
        }
        Array.Resize(ref _lines, capacity);
        _capacity = capacity;
    }
}
