// The version of Etl, as manifests and the HTTP User-Agent report it.
using System.Reflection;

namespace Etl;

public static class EtlVersion
{
    public static string Current { get; } =
        typeof(EtlVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
