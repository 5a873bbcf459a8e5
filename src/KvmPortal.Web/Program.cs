using KvmPortal.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddKvmPortal();

var app = builder.Build();
app.UseKvmPortal();
app.Run();

public partial class Program;
