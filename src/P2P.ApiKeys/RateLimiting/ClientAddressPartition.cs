using System.Net;
using System.Net.Sockets;

namespace P2P.ApiKeys.RateLimiting;

/// <summary>
/// The one way a client address becomes a partition of a per-client limit (the lookup budget, the admin token
/// endpoint): an IPv4 address (IPv4-mapped IPv6 included) on its own, an IPv6 address by its /64 network, as a 128-bit
/// number so that a check allocates nothing. One IPv6 host usually holds a whole /64 and can pick a new address per
/// request, so counting each address alone would give it 2^64 separate limits. IPv6 partitions carry the top bit, so
/// none collides with an IPv4 one.
/// </summary>
internal static class ClientAddressPartition
{
    private static readonly UInt128 Ipv6Marker = UInt128.One << 127;

    /// <summary>The client's partition: IPv4 /32, IPv6 /64; zero for an unknown address.</summary>
    public static UInt128 Of(IPAddress? address) => Of(address, ipv4Bits: 32, ipv6Bits: 64);

    /// <summary>
    /// A coarser partition (IPv4 /24, IPv6 /48): where clients go once a table of partitions is full, so that a flood
    /// from many addresses degrades to per-network budgets instead of one budget shared by everyone.
    /// </summary>
    public static UInt128 PrefixOf(IPAddress? address) => Of(address, ipv4Bits: 24, ipv6Bits: 48);

    private static UInt128 Of(IPAddress? address, int ipv4Bits, int ipv6Bits)
    {
        if (address is null)
        {
            return UInt128.Zero;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork && address.TryWriteBytes(bytes, out _))
        {
            var ipv4 = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
            return ipv4 & (uint.MaxValue << (32 - ipv4Bits));
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6 || !address.TryWriteBytes(bytes, out _))
        {
            return UInt128.Zero;
        }

        ulong prefix = 0;
        for (var i = 0; i < 8; i++)
        {
            prefix = (prefix << 8) | bytes[i];
        }

        prefix &= ulong.MaxValue << (64 - ipv6Bits);
        return Ipv6Marker | ((UInt128)prefix << 64);
    }
}
