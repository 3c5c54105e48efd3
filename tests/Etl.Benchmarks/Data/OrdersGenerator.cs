// Generates the benchmark orders deterministically from a seed: a flat CSV and the same orders as nested NDJSON or one JSON array.
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Etl.Benchmarks.Data;

/// <summary>One generated order; the CSV holds its flat fields, the NDJSON nests customer and items.</summary>
public sealed record Order(long Id, long CustomerId, string CustomerName, string Country, decimal Amount, string Status,
    DateTime CreatedAt, string? Note);

public sealed record OrderItem(string Sku, int Qty, decimal Price);

public static class OrdersGenerator
{
    /// <summary>Bumped whenever the generated content changes, so cached files are made again.</summary>
    public const int Version = 1;

    public const string CsvHeader = "id,customer_id,customer_name,country,amount,status,created_at,note";

    public const int Customers = 200_000;

    public const int Skus = 5_000;

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // Names that exercise quoting, commas, apostrophes and non-ASCII text.
    private static readonly string[] CompanyNames =
    [
        "Acme, Inc.", "O'Brien & Sons", "\"Quoted\" Co", "Müller GmbH", "東京商事", "Société Générale d'Import",
        "Zürich Trading AG", "Łódź Foods", "Smith, Jones & Partners", "Café \"Le Monde\"", "Nørre Ltd", "São Paulo Importadora",
        "Ελληνικά Τρόφιμα ΑΕ", "Москва Торг ООО", "Plain Company", "Blue Harbor Supply", "Øresund Logistics", "Ünal Tekstil",
        "Crème & Brûlée SARL", "Northwind Traders", "Contoso, Ltd.", "Fabrikam \"Premium\"", "서울무역", "Ñandú Exportaciones",
    ];

    private static readonly string[] Countries =
        ["DE", "US", "JP", "BR", "ES", "FR", "GB", "IT", "NL", "PL", "SE", "KR", "IN", "CN", "CA", "AU", "MX", "CH", "AT", "GR"];

    private static readonly (string Status, int Weight)[] Statuses =
        [("paid", 50), ("pending", 20), ("shipped", 15), ("refunded", 10), ("cancelled", 5)];

    private static readonly string[] ShortNotes =
        ["gift", "leave at door", "call before delivery", "fragile", "express shipping", "no invoice", "repeat order", "ring twice"];

    private static readonly string[] Words =
    [
        "customer", "asked", "for", "delivery", "before", "noon", "package", "should", "be", "left", "with", "the", "neighbour",
        "invoice", "address", "differs", "from", "shipping", "please", "confirm", "by", "email", "warehouse", "north", "pallet",
        "handle", "care", "order", "split", "into", "two", "boxes", "discount", "applied", "promo", "winter", "sale", "größe", "été",
    ];

    /// <summary>The orders of a seed, in id order; the same seed always yields the same orders.</summary>
    public static IEnumerable<Order> Orders(int seed, long count)
    {
        var rng = new Random(seed);
        for (long id = 1; id <= count; id++)
        {
            yield return Next(rng, id);
        }
    }

    private static Order Next(Random rng, long id)
    {
        var customer = rng.Next(Customers);
        var name = CompanyNames[customer % CompanyNames.Length] + " #" + (customer / CompanyNames.Length).ToString(CultureInfo.InvariantCulture);
        var country = Countries[(customer * 7 + rng.Next(3)) % Countries.Length];
        var amount = rng.Next(100, 100_000) / 100m;
        var roll = rng.Next(100);
        var status = Statuses[^1].Status;
        foreach (var (s, w) in Statuses)
        {
            if (roll < w)
            {
                status = s;
                break;
            }
            roll -= w;
        }
        var created = Start.AddSeconds(id * 6 + rng.Next(6));
        var kind = rng.Next(100);
        string? note = kind switch
        {
            < 35 => null,
            < 60 => ShortNotes[rng.Next(ShortNotes.Length)],
            < 88 => Sentence(rng, 3 + rng.Next(9)),
            < 94 => Sentence(rng, 2 + rng.Next(4)) + "\n" + Sentence(rng, 2 + rng.Next(4)),
            _ => $"said \"{Words[rng.Next(Words.Length)]}\", then {Sentence(rng, 3)}",
        };
        return new Order(id, 100_000 + customer, name, country, amount, status, created, note);
    }

    private static string Sentence(Random rng, int words)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }
            sb.Append(Words[rng.Next(Words.Length)]);
        }
        return sb.ToString();
    }

    /// <summary>Items of an order: drawn from their own stream seeded by the order id, so the CSV and NDJSON agree on the orders.</summary>
    public static List<OrderItem> Items(int seed, long orderId)
    {
        var rng = new Random(unchecked((int)(orderId * 2654435761L) ^ seed));
        var count = rng.Next(5);
        var items = new List<OrderItem>(count);
        for (var i = 0; i < count; i++)
        {
            var sku = rng.Next(Skus);
            items.Add(new OrderItem($"SKU-{sku:D5}", 1 + rng.Next(5), (50 + sku % 2000 * 25) / 100m));
        }
        return items;
    }

    public static void WriteCsv(string path, int seed, long rows)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        writer.WriteLine(CsvHeader);
        foreach (var o in Orders(seed, rows))
        {
            writer.Write(o.Id.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(o.CustomerId.ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            WriteField(writer, o.CustomerName);
            writer.Write(',');
            writer.Write(o.Country);
            writer.Write(',');
            writer.Write(o.Amount.ToString("F2", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(o.Status);
            writer.Write(',');
            writer.Write(o.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.Write(',');
            if (o.Note is not null)
            {
                WriteField(writer, o.Note);
            }
            writer.Write('\n');
        }
    }

    private static void WriteField(StreamWriter writer, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }
        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    public static void WriteNdjson(string path, int seed, long rows)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var json = NewWriter(stream);
        foreach (var o in Orders(seed, rows))
        {
            WriteOrder(json, o, seed);
            stream.WriteByte((byte)'\n');
        }
    }

    /// <summary>The nested orders as one JSON array, one order a line, until the file reaches
    /// <paramref name="megabytes"/> MB; returns the number of orders written.</summary>
    public static long WriteJsonArray(string path, int seed, long megabytes)
    {
        var target = megabytes * 1_000_000;
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var json = NewWriter(stream);
        stream.WriteByte((byte)'[');
        long count = 0;
        foreach (var o in Orders(seed, long.MaxValue))
        {
            stream.Write(count == 0 ? "\n"u8 : ",\n"u8);
            WriteOrder(json, o, seed);
            count++;
            if (stream.Position >= target)
            {
                break;
            }
        }
        stream.Write("\n]\n"u8);
        return count;
    }

    private static Utf8JsonWriter NewWriter(Stream stream) =>
        new(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true });

    private static void WriteOrder(Utf8JsonWriter json, Order o, int seed)
    {
        json.WriteStartObject();
        json.WriteNumber("id", o.Id);
        json.WriteStartObject("customer");
        json.WriteNumber("id", o.CustomerId);
        json.WriteString("name", o.CustomerName);
        json.WriteString("country", o.Country);
        json.WriteEndObject();
        json.WriteNumber("amount", o.Amount);
        json.WriteString("status", o.Status);
        json.WriteString("created_at", o.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        if (o.Note is null)
        {
            json.WriteNull("note");
        }
        else
        {
            json.WriteString("note", o.Note);
        }
        json.WriteStartArray("items");
        foreach (var item in Items(seed, o.Id))
        {
            json.WriteStartObject();
            json.WriteString("sku", item.Sku);
            json.WriteNumber("qty", item.Qty);
            json.WriteNumber("price", item.Price);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        json.Reset();
    }

    /// <summary>Writes the file unless the same version, seed and size was written before; returns its path.</summary>
    public static string Ensure(string folder, string name, int seed, long rows, Action<string, int, long> write, string unit = "orders")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        var marker = path + ".done";
        var stamp = $"v{Version} seed={seed} rows={rows}";
        if (File.Exists(path) && File.Exists(marker) && File.ReadAllText(marker) == stamp)
        {
            return path;
        }
        File.Delete(marker);
        var started = System.Diagnostics.Stopwatch.StartNew();
        Console.Error.WriteLine($"generating {path} ({rows:N0} {unit}, seed {seed})…");
        write(path, seed, rows);
        File.WriteAllText(marker, stamp);
        Console.Error.WriteLine($"  {new FileInfo(path).Length / 1e6:F0} MB in {started.Elapsed.TotalSeconds:F1} s");
        return path;
    }
}
