using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace P2P.ApiKeys.EFCore.Configuration;

/// <summary>
/// Stores a <see cref="DateTimeOffset"/> as its UTC ticks (a 64-bit integer). Every provider orders and
/// compares integers in SQL, the round trip is exact to the tick (PostgreSQL's timestamptz keeps only
/// microseconds; SQLite cannot ORDER BY a DateTimeOffset at all), and no provider-specific type is needed.
/// The offset is not kept: values come back in UTC, the same instant.
/// </summary>
internal sealed class UtcTicksConverter : ValueConverter<DateTimeOffset, long>
{
    public static readonly UtcTicksConverter Instance = new();

    private UtcTicksConverter()
        : base(value => value.UtcTicks, ticks => new DateTimeOffset(ticks, TimeSpan.Zero))
    {
    }
}
