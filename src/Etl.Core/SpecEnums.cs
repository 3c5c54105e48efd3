// The enums of the spec records, each with its own string converter (camelCase names, no numbers), made here by name
// so the ahead-of-time image holds their code; the converter factory in SpecJson would make them by reflection at
// run time, to be compiled then. Beside the registry, as it names the components' enums; SpecEnumsTests holds the
// list complete.
using System.Text.Json;
using System.Text.Json.Serialization;
using Etl.Sinks;
using Etl.Sources;
using Etl.Sources.Http;
using Etl.Sources.Http.Pagination;
using Etl.Spec;

namespace Etl;

internal static class SpecEnums
{
    public static IReadOnlyList<JsonConverter> Converters { get; } =
    [
        Of<SchemaChangePolicy>(),
        Of<SinkMode>(),
        Of<InputCompression>(),
        Of<PaginationType>(),
        Of<ParamLocation>(),
        Of<CursorSource>(),
        Of<HttpAuthType>(),
        Of<ApiKeyLocation>(),
        Of<OAuth2ClientAuth>(),
        Of<ValueFileFormat>(),
        Of<HttpSourceMethod>(),
        Of<RetryAfterScope>(),
        Of<BodyFailure>(),
        Of<CsvCompression>(),
        Of<ParquetCompression>(),
    ];

    private static JsonStringEnumConverter<T> Of<T>()
        where T : struct, Enum => new(JsonNamingPolicy.CamelCase, allowIntegerValues: false);
}
