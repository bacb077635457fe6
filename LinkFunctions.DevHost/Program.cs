using LinkFunctions.DevHost;

var app = DevHostApp.Build(args);
app.Run();
