using P2P.ApiKeys.Stores;

namespace P2P.ApiKeys.Admin.Users;

/// <summary>One page of admins from <see cref="AdminUserManager.ListAsync"/>, oldest first.</summary>
internal sealed record AdminUserPage(IReadOnlyList<AdminUser> Items, long Total, int Page, int PageSize);
