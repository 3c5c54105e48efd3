// Replaces secret values (those that came from ${env:...}) with *** in anything a person or file will see.
namespace Etl.Spec;

public sealed class Redactor
{
    public const string Mask = "***";
    private readonly List<string> _secrets = [];

    public static Redactor None { get; } = new();

    public void Add(string secret)
    {
        // Very short values would mask unrelated text everywhere; they are not secrets worth hiding.
        if (secret.Length >= 3 && !_secrets.Contains(secret))
        {
            _secrets.Add(secret);
            _secrets.Sort((a, b) => b.Length.CompareTo(a.Length));
        }
    }

    public IReadOnlyList<string> Secrets => _secrets;

    public string Redact(string text)
    {
        foreach (var s in _secrets)
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
