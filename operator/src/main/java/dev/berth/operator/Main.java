package dev.berth.operator;

/** Entry point placeholder; replaced by the operator startup. */
public final class Main {
  public static void main(String[] args) {
    System.out.println("berth operator");
  }
}
