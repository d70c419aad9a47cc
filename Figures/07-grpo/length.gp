# Mean length of right and wrong answers (tokens), grpo against dr_grpo
# Render from this directory: gnuplot length.gp  (writes length.png)
if (!exists("outfile")) outfile = 'length.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Mean length of right and wrong answers (tokens), grpo against dr_grpo'
set xlabel 'GRPO step'
set ylabel 'tokens'
set key top right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'length.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'grpo, right', \
     'length.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'grpo, wrong', \
     'length.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'dr_grpo, right', \
     'length.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'dr_grpo, wrong'
