namespace P2P.ApiKeys.Admin;

/// <summary>
/// Registered by <c>AddAdminEndpoints</c>; its presence tells <c>MapAdminEndpoints</c> the services exist. Also the
/// log category of the endpoints.
/// </summary>
internal sealed class AdminEndpoints;
