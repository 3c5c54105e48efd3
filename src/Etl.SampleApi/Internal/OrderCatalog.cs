// Generates the sample orders and customers from a seed: the same seed and id always give the same record.
using System.Text.Json;

namespace Etl.SampleApi.Internal;

/// <summary>
/// Orders 1..OrderCount. Customers own 0..3 consecutive orders each (customer 1 the first ones, and so on), so
/// <c>/customers/{id}/orders</c> and the customer embedded in an order always agree. Fields are drawn from a hash
/// of (seed, id, field), never from a shared random, so any record can be produced alone and in any order.
/// </summary>
internal sealed class OrderCatalog
{
    private const int MaxOrdersPerCustomer = 3;
    private const int SaltStatus = 1, SaltAmount = 2, SaltCreatedAt = 3, SaltItemCount = 4, SaltItem = 100;
    private const int SaltCustomerOrders = 1, SaltCustomerName = 2, SaltCustomerCountry = 3;
    private const int MaxItems = 4, MaxQuantity = 5;
    private const int SecondsBetweenOrders = 7 * 60;
    private static readonly DateTime Epoch = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static readonly string[] StatusNames = ["paid", "pending", "shipped", "refunded", "cancelled"];
    private static readonly JsonEncodedText[] Statuses = Encode(StatusNames);

    // Names a CSV or JSON writer must quote or escape correctly.
    private static readonly JsonEncodedText[] CustomerNames = Encode([
        "Zoë \"Z\", Ltd", "Acme Corp", "O'Brien & Sons", "Müller GmbH", "Ñandú S.A.", "株式会社さくら",
        "Smith, Jones and Partners", "Café \"Le Zinc\"", "Globex", "Initech", "Łódź Logistics", "Umbrella; Inc.",
    ]);

    private static readonly JsonEncodedText[] Countries = Encode(["FR", "DE", "US", "GB", "JP", "BR", "ES", "IT", "NL", "PL"]);
    private static readonly JsonEncodedText[] Skus = Encode(["A-1", "A-2", "B-1", "B-7", "C-3", "D-12", "E-5", "F-9", "G-4", "H-8"]);

    private static readonly JsonEncodedText IdName = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText CustomerName = JsonEncodedText.Encode("customer");
    private static readonly JsonEncodedText NameName = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText CountryName = JsonEncodedText.Encode("country");
    private static readonly JsonEncodedText AmountName = JsonEncodedText.Encode("amount");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText CreatedAtName = JsonEncodedText.Encode("created_at");
    private static readonly JsonEncodedText ItemsName = JsonEncodedText.Encode("items");
    private static readonly JsonEncodedText SkuName = JsonEncodedText.Encode("sku");
    private static readonly JsonEncodedText QuantityName = JsonEncodedText.Encode("qty");
    private static readonly JsonEncodedText OrderCountName = JsonEncodedText.Encode("order_count");
    private static readonly JsonEncodedText ReferrerName = JsonEncodedText.Encode("referrer");

    /// <summary>Every this-many-th customer has no referrer ("referrer": null), for parent records without a key.</summary>
    public const int CustomersWithoutReferrerEvery = 10;

    private readonly ulong _seed;
    private readonly int[] _customerOfOrder;      // [id - 1] → customer id
    private readonly int[] _firstOrderOfCustomer; // [customer id - 1] → first order id; one extra entry closes the last
    private readonly OrderView[] _byStatus;
    private readonly IReadOnlyDictionary<int, byte[]> _rawNames;
    private readonly IReadOnlyDictionary<int, byte[]> _rawListedNames;

    /// <param name="rawNames">Order ids whose customer name goes out as these bytes (see <see cref="SampleApiOptions.RawCustomerNames"/>).</param>
    /// <param name="rawListedNames">Customer ids whose name in the customer listings goes out as these bytes.</param>
    public OrderCatalog(int seed, int orderCount, IReadOnlyDictionary<int, byte[]>? rawNames = null, IReadOnlyDictionary<int, byte[]>? rawListedNames = null)
    {
        _rawNames = rawNames ?? new Dictionary<int, byte[]>();
        _rawListedNames = rawListedNames ?? new Dictionary<int, byte[]>();
        _seed = Finalize((ulong)(uint)seed);
        OrderCount = orderCount;
        All = OrderView.Range(orderCount);

        _customerOfOrder = new int[orderCount];
        var firstOrders = new List<int>();
        var nextOrder = 1;
        while (nextOrder <= orderCount)
        {
            var customer = firstOrders.Count + 1;
            firstOrders.Add(nextOrder);
            var owned = (int)(Mix(customer, SaltCustomerOrders) % (MaxOrdersPerCustomer + 1));
            for (var i = 0; i < owned && nextOrder <= orderCount; i++)
                _customerOfOrder[nextOrder++ - 1] = customer;
        }
        firstOrders.Add(nextOrder);
        _firstOrderOfCustomer = [.. firstOrders];
        CustomerCount = firstOrders.Count - 1;

        var counts = new int[StatusNames.Length];
        for (var id = 1; id <= orderCount; id++)
            counts[StatusOf(id)]++;
        var ids = counts.Select(c => new int[c]).ToArray();
        Array.Clear(counts);
        for (var id = 1; id <= orderCount; id++)
        {
            var status = StatusOf(id);
            ids[status][counts[status]++] = id;
        }
        _byStatus = [.. ids.Select(OrderView.Of)];
    }

    public int OrderCount { get; }

    public int CustomerCount { get; }

    public OrderView All { get; }

    public bool ContainsOrder(int id) => id >= 1 && id <= OrderCount;

    /// <summary>All orders, or those with <paramref name="status"/> (none for an unknown status).</summary>
    public OrderView View(string? status)
    {
        if (status is null)
            return All;
        var index = Array.IndexOf(StatusNames, status);
        return index >= 0 ? _byStatus[index] : OrderView.Of([]);
    }

    /// <summary>The consecutive ids of the customer's 0..3 orders; false for an unknown customer.</summary>
    public bool TryGetCustomerOrders(int customerId, out int firstOrderId, out int count)
    {
        if (customerId < 1 || customerId > CustomerCount)
        {
            (firstOrderId, count) = (0, 0);
            return false;
        }
        firstOrderId = _firstOrderOfCustomer[customerId - 1];
        count = _firstOrderOfCustomer[customerId] - firstOrderId;
        return true;
    }

    public void WriteOrder(Utf8JsonWriter writer, int id)
    {
        writer.WriteStartObject();
        writer.WriteNumber(IdName, id);

        var customer = _customerOfOrder[id - 1];
        writer.WriteStartObject(CustomerName);
        writer.WriteNumber(IdName, customer);
        if (_rawNames.Count > 0 && _rawNames.TryGetValue(id, out var raw))
        {
            writer.WritePropertyName(NameName);
            writer.WriteRawValue(raw, skipInputValidation: true);
        }
        else
        {
            writer.WriteString(NameName, Pick(CustomerNames, customer, SaltCustomerName));
        }
        writer.WriteString(CountryName, Pick(Countries, customer, SaltCustomerCountry));
        writer.WriteEndObject();

        var cents = 100 + (int)(Mix(id, SaltAmount) % 99_900);
        writer.WriteNumber(AmountName, new decimal(cents, 0, 0, isNegative: false, scale: 2));
        writer.WriteString(StatusName, Statuses[StatusOf(id)]);
        // Strictly increasing with the id, so incremental loads can use created_at as a watermark.
        var seconds = ((long)id - 1) * SecondsBetweenOrders + (long)(Mix(id, SaltCreatedAt) % SecondsBetweenOrders);
        writer.WriteString(CreatedAtName, Epoch.AddSeconds(seconds));

        writer.WriteStartArray(ItemsName);
        var items = 1 + (int)(Mix(id, SaltItemCount) % MaxItems);
        for (var i = 0; i < items; i++)
        {
            writer.WriteStartObject();
            writer.WriteString(SkuName, Pick(Skus, id, SaltItem + 2 * i));
            writer.WriteNumber(QuantityName, 1 + (int)(Mix(id, SaltItem + 2 * i + 1) % MaxQuantity));
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Customer <paramref name="id"/> as listed by /customers: id, name, country, order_count, referrer.</summary>
    public void WriteCustomer(Utf8JsonWriter writer, int id)
    {
        writer.WriteStartObject();
        writer.WriteNumber(IdName, id);
        if (_rawListedNames.Count > 0 && _rawListedNames.TryGetValue(id, out var raw))
        {
            writer.WritePropertyName(NameName);
            writer.WriteRawValue(raw, skipInputValidation: true);
        }
        else
        {
            writer.WriteString(NameName, Pick(CustomerNames, id, SaltCustomerName));
        }
        writer.WriteString(CountryName, Pick(Countries, id, SaltCustomerCountry));
        writer.WriteNumber(OrderCountName, _firstOrderOfCustomer[id] - _firstOrderOfCustomer[id - 1]);
        if (id % CustomersWithoutReferrerEvery == 0)
        {
            writer.WriteNull(ReferrerName);
        }
        else
        {
            writer.WriteStartObject(ReferrerName);
            writer.WriteNumber(IdName, (id - 1) / 2 + 1);
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
    }

    private int StatusOf(int id) => (int)(Mix(id, SaltStatus) % (ulong)StatusNames.Length);

    private JsonEncodedText Pick(JsonEncodedText[] values, int key, int salt) => values[Mix(key, salt) % (ulong)values.Length];

    private ulong Mix(int key, int salt) =>
        Finalize(_seed + (ulong)(uint)key * 0x9E3779B97F4A7C15UL + (ulong)(uint)salt * 0xD1B54A32D192ED03UL);

    // The SplitMix64 finalizer: spreads every input bit over the whole output.
    private static ulong Finalize(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static JsonEncodedText[] Encode(string[] values) =>
        [.. values.Select(v => JsonEncodedText.Encode(v, JsonResponse.WriterOptions.Encoder))];
}
