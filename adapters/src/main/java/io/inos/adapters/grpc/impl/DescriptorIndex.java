package io.inos.adapters.grpc.impl;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.vertx.grpc.server.Service;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;

/**
 * The proto files that describe a gRPC server's services, with all their dependencies, indexed the way the
 * reflection protocol asks for them: by file name, by the fully-qualified symbols they declare (services, methods,
 * messages, fields, enums, enum values, extensions) and by the extensions they declare on each message type.
 * When two files share a name or a symbol, the first one met wins.
 */
public final class DescriptorIndex {

  private final List<String> serviceNames = new ArrayList<>();
  private final Map<String, FileDescriptor> filesByName = new LinkedHashMap<>();
  private final Map<String, FileDescriptor> filesBySymbol = new HashMap<>();
  private final Set<String> messageTypes = new HashSet<>();
  /** containing type → extension number → the file that declares the extension */
  private final Map<String, Map<Integer, FileDescriptor>> extensions = new HashMap<>();

  private DescriptorIndex() {
  }

  /** Indexes {@code services}; a service without a descriptor is listed but describes nothing. */
  public static DescriptorIndex of(List<Service> services) {
    DescriptorIndex index = new DescriptorIndex();
    for (Service service : services) {
      index.serviceNames.add(service.name().fullyQualifiedName());
      if (service.descriptor() != null) {
        index.addFile(service.descriptor().getFile());
      }
    }
    return index;
  }

  public List<String> serviceNames() {
    return List.copyOf(serviceNames);
  }

  public FileDescriptor fileByName(String name) {
    return filesByName.get(name);
  }

  public FileDescriptor fileContainingSymbol(String symbol) {
    return filesBySymbol.get(symbol);
  }

  public FileDescriptor fileContainingExtension(String containingType, int number) {
    return extensions.getOrDefault(containingType, Map.of()).get(number);
  }

  public boolean isMessageType(String fullName) {
    return messageTypes.contains(fullName);
  }

  /** @return the numbers of the extensions declared on {@code messageType}, ascending */
  public List<Integer> extensionNumbersOf(String messageType) {
    return List.copyOf(extensions.getOrDefault(messageType, Map.of()).keySet());
  }

  /** @return {@code file} then every file it depends on, transitively, each once (what a client needs to build it) */
  public static List<FileDescriptor> withDependencies(FileDescriptor file) {
    List<FileDescriptor> files = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Queue<FileDescriptor> frontier = new ArrayDeque<>();
    frontier.add(file);
    seen.add(file.getName());
    while (!frontier.isEmpty()) {
      FileDescriptor next = frontier.remove();
      files.add(next);
      for (FileDescriptor dependency : next.getDependencies()) {
        if (seen.add(dependency.getName())) {
          frontier.add(dependency);
        }
      }
    }
    return files;
  }

  private void addFile(FileDescriptor file) {
    if (filesByName.putIfAbsent(file.getName(), file) != null) {
      return;
    }
    for (ServiceDescriptor service : file.getServices()) {
      symbol(service.getFullName(), file);
      for (MethodDescriptor method : service.getMethods()) {
        symbol(method.getFullName(), file);
      }
    }
    for (Descriptor type : file.getMessageTypes()) {
      addType(type, file);
    }
    for (EnumDescriptor type : file.getEnumTypes()) {
      addEnum(type, file);
    }
    for (FieldDescriptor extension : file.getExtensions()) {
      addExtension(extension, file);
    }
    for (FileDescriptor dependency : file.getDependencies()) {
      addFile(dependency);
    }
  }

  private void addType(Descriptor type, FileDescriptor file) {
    symbol(type.getFullName(), file);
    messageTypes.add(type.getFullName());
    for (FieldDescriptor field : type.getFields()) {
      symbol(field.getFullName(), file);
    }
    for (Descriptor nested : type.getNestedTypes()) {
      addType(nested, file);
    }
    for (EnumDescriptor nested : type.getEnumTypes()) {
      addEnum(nested, file);
    }
    for (FieldDescriptor extension : type.getExtensions()) {
      addExtension(extension, file);
    }
  }

  private void addEnum(EnumDescriptor type, FileDescriptor file) {
    symbol(type.getFullName(), file);
    for (EnumValueDescriptor value : type.getValues()) {
      symbol(value.getFullName(), file);
    }
  }

  private void addExtension(FieldDescriptor extension, FileDescriptor file) {
    symbol(extension.getFullName(), file);
    extensions.computeIfAbsent(extension.getContainingType().getFullName(), t -> new TreeMap<>())
      .putIfAbsent(extension.getNumber(), file);
  }

  private void symbol(String fullName, FileDescriptor file) {
    filesBySymbol.putIfAbsent(fullName, file);
  }
}
