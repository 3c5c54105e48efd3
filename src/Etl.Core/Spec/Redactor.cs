// Replaces secret values (those that came from ${env:...}) with *** in anything a person or file will see.
namespace Etl.Spec;

public sealed class Redactor
{
    public const string Mask = "***";
    private readonly Lock _lock = new();

    // Copied on write: secrets learnt during a run (OAuth2 tokens) are added while other threads redact.
    private string[] _secrets = [];

    public static Redactor None { get; } = new();

    public void Add(string secret)
    {
        // Very short values would mask unrelated text everywhere; they are not secrets worth hiding.
        if (secret.Length < 3)
        {
            return;
        }
        lock (_lock)
        {
            if (!_secrets.Contains(secret))
            {
                string[] next = [.. _secrets, secret];
                Array.Sort(next, (a, b) => b.Length.CompareTo(a.Length));
                Volatile.Write(ref _secrets, next);
            }
        }
    }

    public IReadOnlyList<string> Secrets => _secrets;

    public string Redact(string text)
    {
        foreach (var s in Volatile.Read(ref _secrets))
        {
            if (text.Contains(s, StringComparison.Ordinal))
            {
                text = text.Replace(s, Mask, StringComparison.Ordinal);
            }
            var escaped = Uri.EscapeDataString(s);
            if (escaped != s && text.Contains(escaped, StringComparison.Ordinal))
            {
                text = text.Replace(escaped, Mask, StringComparison.Ordinal);
            }
        }
        return text;
    }
}
