using LinkFunctions.Storage;

namespace LinkFunctions.Login;

/// <summary>Document ids of the LINE Login flow; random values are hashed, since an id shows up in request URIs.</summary>
public static class LoginIds
{
    public static string Session(this ProviderKey provider, string session) => $"loginsession:{provider.Value}:{ProviderKey.Sha256Hex(session)}";

    public static string State(this ProviderKey provider, string state) => $"state:{provider.Value}:{ProviderKey.Sha256Hex(state)}";

    public static string Grant(this ProviderKey provider, string lineUserId) => $"grant:{provider.Value}:{lineUserId}";
}

/// <summary>Sessions and states in the transient container, grants in the links container (both partitioned by id).</summary>
public interface ILineLoginStore
{
    Task<WriteOutcome> CreateSessionAsync(LoginSessionDocument session, CancellationToken cancellationToken);

    Task<Stored<LoginSessionDocument>?> ReadSessionAsync(string id, CancellationToken cancellationToken);

    Task<WriteOutcome> CreateStateAsync(LoginStateDocument state, CancellationToken cancellationToken);

    Task<Stored<LoginStateDocument>?> ReadStateAsync(string id, CancellationToken cancellationToken);

    /// <summary>Conditional delete: only the caller holding the current ETag gets <see cref="WriteOutcome.Ok"/>.</summary>
    Task<WriteOutcome> DeleteTransientAsync(string id, string ifMatch, CancellationToken cancellationToken);

    Task SaveGrantAsync(LineLoginGrantDocument grant, CancellationToken cancellationToken);

    Task<Stored<LineLoginGrantDocument>?> ReadGrantAsync(string id, CancellationToken cancellationToken);

    /// <summary>With If-Match: a grant a newer login wrote in between is not the one that was deauthorized.</summary>
    Task<WriteOutcome> DeleteGrantAsync(string id, string ifMatch, CancellationToken cancellationToken);
}

public sealed class CosmosLineLoginStore(CosmosDatabase database) : ILineLoginStore
{
    private static readonly LoginJsonContext Json = LoginJsonContext.Default;

    public async Task<WriteOutcome> CreateSessionAsync(LoginSessionDocument session, CancellationToken cancellationToken) =>
        (await database.Transient.CreateAsync(session, session.Id, Json.LoginSessionDocument, cancellationToken)).Outcome;

    public Task<Stored<LoginSessionDocument>?> ReadSessionAsync(string id, CancellationToken cancellationToken) =>
        database.Transient.ReadAsync(id, id, Json.LoginSessionDocument, cancellationToken);

    public async Task<WriteOutcome> CreateStateAsync(LoginStateDocument state, CancellationToken cancellationToken) =>
        (await database.Transient.CreateAsync(state, state.Id, Json.LoginStateDocument, cancellationToken)).Outcome;

    public Task<Stored<LoginStateDocument>?> ReadStateAsync(string id, CancellationToken cancellationToken) =>
        database.Transient.ReadAsync(id, id, Json.LoginStateDocument, cancellationToken);

    public Task<WriteOutcome> DeleteTransientAsync(string id, string ifMatch, CancellationToken cancellationToken) =>
        database.Transient.DeleteAsync(id, id, ifMatch, cancellationToken);

    public Task SaveGrantAsync(LineLoginGrantDocument grant, CancellationToken cancellationToken) =>
        database.Links.UpsertAsync(grant, grant.Id, Json.LineLoginGrantDocument, cancellationToken);

    public Task<Stored<LineLoginGrantDocument>?> ReadGrantAsync(string id, CancellationToken cancellationToken) =>
        database.Links.ReadAsync(id, id, Json.LineLoginGrantDocument, cancellationToken);

    public Task<WriteOutcome> DeleteGrantAsync(string id, string ifMatch, CancellationToken cancellationToken) =>
        database.Links.DeleteAsync(id, id, ifMatch, cancellationToken);
}
