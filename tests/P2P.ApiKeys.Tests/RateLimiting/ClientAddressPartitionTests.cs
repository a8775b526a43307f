using System.Net;
using P2P.ApiKeys.RateLimiting;

namespace P2P.ApiKeys.Tests.RateLimiting;

public sealed class ClientAddressPartitionTests
{
    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("192.0.2.1", "::ffff:192.0.2.1", true)]
    [InlineData("192.0.2.1", "192.0.2.2", false)]
    [InlineData("0.0.0.1", "::1", false)]
    public void Of_Addresses_GroupsIpv6By64AndMapsIpv4(string left, string right, bool same) =>
        Assert.Equal(same, ClientAddressPartition.Of(IPAddress.Parse(left)) == ClientAddressPartition.Of(IPAddress.Parse(right)));

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.200", true)]
    [InlineData("192.0.2.1", "192.0.3.1", false)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:ffff::1", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:2:2::1", false)]
    public void PrefixOf_Addresses_GroupsIpv4By24AndIpv6By48(string left, string right, bool same) =>
        Assert.Equal(same, ClientAddressPartition.PrefixOf(IPAddress.Parse(left)) == ClientAddressPartition.PrefixOf(IPAddress.Parse(right)));
}
