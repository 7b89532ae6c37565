package dev.descent.examples;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks the output folder or file of a command before it starts its work, so that a run of minutes
 * is not lost to an output it could never write, and says why a location cannot be used.
 *
 * <p>The rule, for a folder: it is created when missing (with its parents); an existing path must
 * be a folder, and one the process can create files in (tried by creating and deleting a hidden
 * file); the files the command writes there are replaced, and must not be folders or read-only;
 * other files in it are left alone. For a file: the same for its parent folder, and the file must
 * not be a folder or read-only.
 */
final class OutputLocation {

    private OutputLocation() {}

    /**
     * Checks (and creates) an output folder.
     *
     * @param spec the command, for the error
     * @param option the option that named the folder, e.g. {@code --output}
     * @param folder the folder
     * @param files the names of the files the command will write into it
     * @throws ParameterException saying why the folder cannot be written
     */
    static void checkFolder(CommandSpec spec, String option, Path folder, List<String> files) {
        String problem = folderProblem(folder);
        for (int i = 0; problem == null && i < files.size(); i++) {
            problem = fileProblem(folder.resolve(files.get(i)));
        }
        if (problem != null) {
            throw new ParameterException(
                    spec.commandLine(), "Invalid value for option '" + option + "': " + problem);
        }
    }

    /**
     * Checks an output file (and creates its folder).
     *
     * @param spec the command, for the error
     * @param option the option that named the file
     * @param file the file
     * @throws ParameterException saying why the file cannot be written
     */
    static void checkFile(CommandSpec spec, String option, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        String problem = parent == null ? null : folderProblem(parent);
        if (problem == null) {
            problem = fileProblem(file);
        }
        if (problem != null) {
            throw new ParameterException(
                    spec.commandLine(), "Invalid value for option '" + option + "': " + problem);
        }
    }

    /**
     * Says why a file operation failed, for an error message: the file and the reason, e.g. {@code
     * /proc/x: permission denied}.
     *
     * @param e the failure
     * @return the text
     */
    static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile()
                    + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile())
                    + ": "
                    + reason(f);
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /**
     * The reason of a failed file operation in words: the operating system's text when Java kept
     * it, otherwise what the exception's type means.
     *
     * @param e the failure
     * @return the reason, e.g. {@code permission denied}
     */
    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a folder";
        }
        return e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
    }

    private static String folderProblem(Path folder) {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            return folder + " exists and is not a folder";
        }
        Path existing = folder.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            return "cannot create the folder " + folder + ": " + existing + " is not a folder";
        }
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            return "cannot create the folder "
                    + folder
                    + (existing == null ? "" : " in " + existing)
                    + " ("
                    + reason(e)
                    + ")";
        }
        try {
            Files.delete(Files.createTempFile(folder, ".descent-", ".tmp"));
        } catch (IOException e) {
            return "cannot create files in the folder " + folder + " (" + reason(e) + ")";
        }
        return null;
    }

    private static String fileProblem(Path file) {
        if (Files.isDirectory(file)) {
            return "cannot write the file " + file + ": it is a folder";
        }
        if (Files.exists(file) && !Files.isWritable(file)) {
            return "cannot write the file " + file + ": it exists and is read-only";
        }
        return null;
    }
}
