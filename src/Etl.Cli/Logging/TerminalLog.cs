// Where text log lines go: straight to stderr, or held while a live display owns the terminal and drawn above it.
namespace Etl.Cli.Logging;

public sealed class TerminalLog(TextWriter stderr)
{
    private readonly Lock _lock = new();
    private List<string>? _held;

    /// <summary>Writes <paramref name="line"/> now, or keeps it for the live display when one is on.
    /// Never waits for the display: a pipeline thread that logs must not be slowed by rendering.</summary>
    public void Write(string line)
    {
        lock (_lock)
        {
            if (_held is not null)
            {
                _held.Add(line);
                return;
            }
            stderr.WriteLine(line);
        }
    }

    /// <summary>From now on lines are held until <see cref="TakeHeld"/> or <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _held ??= [];
        }
    }

    /// <summary>The lines held since the last call, oldest first.</summary>
    public IReadOnlyList<string> TakeHeld()
    {
        lock (_lock)
        {
            if (_held is not { Count: > 0 } held)
            {
                return [];
            }
            _held = [];
            return held;
        }
    }

    /// <summary>Stops holding; lines still held are written first, so none is lost when a display ends early.</summary>
    public void Release()
    {
        lock (_lock)
        {
            foreach (var line in _held ?? [])
            {
                stderr.WriteLine(line);
            }
            _held = null;
        }
    }
}
