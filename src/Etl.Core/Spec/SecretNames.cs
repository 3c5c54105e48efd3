// Parameter names that say their value is a secret (password, token, apiKey…), masked wherever a value is shown.
namespace Etl.Spec;

public static class SecretNames
{
    private static readonly string[] Markers = ["password", "passwd", "secret", "token", "apikey", "accesskey", "credential", "privatekey"];

    /// <summary>Whether a parameter named <paramref name="name"/> holds a secret, whatever its case, '_' or '-'.</summary>
    public static bool IsSecret(string name)
    {
        var n = name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return Markers.Any(m => n.Contains(m, StringComparison.Ordinal));
    }
}
