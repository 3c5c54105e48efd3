// A small terminal emulator for tests: applies text and the cursor and erase sequences a live display writes,
// so a test sees the screen (and the lines scrolled above it) as a person at the terminal would.
using System.Text;
using System.Text.RegularExpressions;

namespace Etl.Cli.Tests.Terminal;

public sealed partial class TerminalScreen(int columns)
{
    private readonly List<StringBuilder> _lines = [new()];
    private int _row;
    private int _column;

    /// <summary>The screen's lines from the first one written, trailing spaces removed.</summary>
    public IReadOnlyList<string> Lines => [.. _lines.Select(l => l.ToString().TrimEnd())];

    public static TerminalScreen Of(string output, int columns)
    {
        var screen = new TerminalScreen(columns);
        screen.Write(output);
        return screen;
    }

    public void Write(string output)
    {
        for (var i = 0; i < output.Length;)
        {
            if (output[i] == '\x1b')
            {
                i += Escape(output, i);
                continue;
            }
            switch (output[i])
            {
                case '\n':
                    MoveTo(_row + 1, 0);
                    break;
                case '\r':
                    _column = 0;
                    break;
                default:
                    Put(output[i]);
                    break;
            }
            i++;
        }
    }

    /// <summary>Applies the sequence at <paramref name="at"/> and returns its length: CSI cursor moves and erases;
    /// colours, cursor visibility and other modes change nothing on the text, so they are skipped.</summary>
    private int Escape(string output, int at)
    {
        var match = Csi().Match(output, at);
        if (!match.Success || match.Index != at)
        {
            return Math.Min(2, output.Length - at);
        }
        var parameter = match.Groups["p"].Value;
        var n = int.TryParse(parameter, out var value) ? value : 1;
        switch (match.Groups["f"].Value)
        {
            case "A": MoveTo(Math.Max(0, _row - n), _column); break;
            case "B": MoveTo(_row + n, _column); break;
            case "C": _column = Math.Min(columns - 1, _column + n); break;
            case "D": _column = Math.Max(0, _column - n); break;
            case "G": _column = Math.Max(0, n - 1); break;
            case "K": EraseInLine(parameter); break;
            case "J" when parameter is "" or "0":
                EraseInLine("0");
                _lines.RemoveRange(_row + 1, _lines.Count - _row - 1);
                break;
        }
        return match.Length;
    }

    private void EraseInLine(string parameter)
    {
        var line = _lines[_row];
        if (parameter == "2")
        {
            line.Clear();
        }
        else if (parameter is "" or "0" && _column < line.Length)
        {
            line.Length = _column;
        }
    }

    private void Put(char c)
    {
        if (_column >= columns)
        {
            MoveTo(_row + 1, 0);
        }
        var line = _lines[_row];
        if (line.Length <= _column)
        {
            line.Append(' ', _column - line.Length + 1);
        }
        line[_column++] = c;
    }

    private void MoveTo(int row, int column)
    {
        while (_lines.Count <= row)
        {
            _lines.Add(new StringBuilder());
        }
        (_row, _column) = (row, column);
    }

    [GeneratedRegex(@"\x1b\[(?<p>[0-9;?]*)(?<f>[A-Za-z])")]
    private static partial Regex Csi();
}
