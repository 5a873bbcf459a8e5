using Microsoft.AspNetCore.Identity;

namespace KvmPortal.Web.Data;

public sealed class KvmPortalUser : IdentityUser;
