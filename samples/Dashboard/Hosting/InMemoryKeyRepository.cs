using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace P2P.Dashboard.Hosting;

/// <summary>
/// The data-protection key ring in process memory only: the dashboard protects nothing that must outlive the
/// process (antiforgery tokens of GET forms), so no key is ever written to disk.
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly List<XElement> _elements = [];

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        lock (_elements)
        {
            return _elements.Select(e => new XElement(e)).ToList();
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        lock (_elements)
        {
            _elements.Add(new XElement(element));
        }
    }
}
