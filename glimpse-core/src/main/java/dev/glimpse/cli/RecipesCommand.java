package dev.glimpse.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.recipes.Recipe;
import dev.glimpse.recipes.RecipeFiles;
import dev.glimpse.recipes.Recipes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code glimpse recipes}: lists the named recipes. */
@Command(name = "recipes", mixinStandardHelpOptions = true, description = "List the named training recipes.")
public final class RecipesCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--show", paramLabel = "NAME", description = "Print one recipe in full (JSON, usable with --config).")
  String show;

  @Override
  public Integer call() {
    if (show != null) {
      System.out.println(dev.glimpse.util.Json.GSON.toJson(RecipeFiles.toJson(Recipes.get(show))));
      return 0;
    }
    JsonArray list = new JsonArray();
    int nameWidth = 1;
    for (String name : Recipes.names()) {
      nameWidth = Math.max(nameWidth, name.length());
    }
    String row = "%-" + nameWidth + "s %-9s %s%n";
    for (String name : Recipes.names()) {
      Recipe r = Recipes.get(name);
      JsonObject o = new JsonObject();
      o.addProperty("name", name);
      o.addProperty("task", r.task());
      o.addProperty("model", r.model().modelType());
      o.addProperty("steps", r.train().steps());
      o.addProperty("description", r.description());
      list.add(o);
      if (!common.json) {
        System.out.printf(row, name, r.task(), r.description());
      }
    }
    JsonObject result = new JsonObject();
    result.add("recipes", list);
    common.printJson(result);
    return 0;
  }
}
