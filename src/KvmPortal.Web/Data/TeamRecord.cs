namespace KvmPortal.Web.Data;

/// <summary>A team owns VMs; roles can be granted for one team.</summary>
public sealed class TeamRecord
{
    public const int NameMaxLength = 100;

    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
